// The list types and measures of the regional plan, as seeds for a new installation and for demos.
import type { ListType, Measure } from './definitions.js';

export function defaultListTypes(): ListType[] {
  return [
    {
      code: 'court_judgment_debtor',
      name: '失信被执行人',
      colour: 'black',
      ownerDepartment: 'court',
      criteria: '被执行人具有履行能力而不履行生效法律文书确定的义务等情形',
      legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）',
      validityDays: 730,
      // The court's inclusion decision (纳入决定书) takes effect when issued; the debtor was warned in the execution
      // notice before, so there is no separate notice period.
      noticeWorkingDays: 0,
      objectionWorkingDays: 15,
      feedbackWorkingDays: 10,
    },
    {
      code: 'major_tax_violation',
      name: '重大税收违法失信主体',
      colour: 'black',
      ownerDepartment: 'tax',
      criteria: '偷税、逃避追缴欠税、骗取出口退税、虚开发票等达到规定数额或情节的纳税人',
      legalBasis: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
      validityDays: 1095,
      noticeWorkingDays: 5,
      objectionWorkingDays: 15,
      feedbackWorkingDays: 10,
    },
    {
      code: 'work_safety_blacklist',
      name: '安全生产黑名单',
      colour: 'black',
      ownerDepartment: 'safety',
      criteria: '发生较大及以上生产安全责任事故或一年内累计发生多起责任事故的生产经营单位',
      legalBasis: '《安全生产严重失信主体名单管理办法》（应急管理部令第11号）',
      validityDays: 1095,
      noticeWorkingDays: 5,
      objectionWorkingDays: 10,
      feedbackWorkingDays: 10,
    },
    {
      code: 'environment_blacklist',
      name: '环保黑名单',
      colour: 'black',
      ownerDepartment: 'env',
      criteria: '环境信用评价为环保不良企业或存在严重环境违法行为的企业',
      legalBasis: '《企业环境信用评价办法（试行）》（环发〔2013〕150号）',
      validityDays: 730,
      noticeWorkingDays: 5,
      objectionWorkingDays: 10,
      feedbackWorkingDays: 10,
    },
    {
      code: 'tax_credit_grade_a',
      name: '纳税信用A级纳税人',
      colour: 'red',
      ownerDepartment: 'tax',
      criteria: '年度纳税信用评价为A级的纳税人',
      legalBasis: '《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）',
      validityDays: 365,
      noticeWorkingDays: 0,
      objectionWorkingDays: 10,
      feedbackWorkingDays: 10,
    },
  ];
}

const BLACK = ['court_judgment_debtor', 'major_tax_violation', 'work_safety_blacklist', 'environment_blacklist'];

export function defaultMeasures(): Measure[] {
  return [
    {
      code: 'restrict_government_procurement',
      name: '限制参与政府采购活动',
      kind: 'punishment',
      implementingDepartment: 'finance',
      listTypes: BLACK,
      ratings: [],
      activities: ['government_procurement'],
      legalBasis: '《中华人民共和国政府采购法》第二十二条；《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）',
    },
    {
      code: 'restrict_high_consumption_travel',
      name: '限制乘坐飞机、列车软卧等高消费行为',
      kind: 'punishment',
      implementingDepartment: 'transport',
      listTypes: ['court_judgment_debtor'],
      ratings: [],
      activities: ['air_rail_ticketing'],
      legalBasis: '《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（法释〔2015〕17号）',
    },
    {
      code: 'restrict_bidding',
      name: '限制参与工程建设项目招标投标',
      kind: 'punishment',
      implementingDepartment: 'ndrc',
      listTypes: ['court_judgment_debtor', 'major_tax_violation', 'work_safety_blacklist'],
      ratings: [],
      activities: ['bidding'],
      legalBasis: '《关于加强和规范守信联合激励和失信联合惩戒对象名单管理工作的指导意见》（发改财金规〔2017〕1798号）；《中华人民共和国招标投标法实施条例》',
    },
    {
      code: 'restrict_housing_qualification',
      name: '限制取得建筑业企业资质',
      kind: 'punishment',
      implementingDepartment: 'housing',
      listTypes: ['work_safety_blacklist', 'environment_blacklist'],
      ratings: [],
      activities: ['construction_qualification'],
      legalBasis: '《建筑业企业资质管理规定》（住房和城乡建设部令第22号）',
    },
    {
      code: 'green_channel_registration',
      name: '登记注册绿色通道、容缺受理',
      kind: 'reward',
      implementingDepartment: 'amr',
      listTypes: ['tax_credit_grade_a'],
      ratings: [],
      activities: ['business_registration'],
      legalBasis: '《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）',
    },
    {
      code: 'tax_grade_a_invoice_convenience',
      name: '纳税信用A级纳税人发票领用便利',
      kind: 'reward',
      implementingDepartment: 'tax',
      listTypes: [],
      ratings: [{ sector: 'tax', grades: ['A'] }],
      activities: ['invoice_issuance'],
      legalBasis: '《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）第三十条',
    },
  ];
}
