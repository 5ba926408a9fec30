import { signToken } from '@credit/platform';
import { DEFAULT_CATALOG_LABEL, publishDefaultCatalog } from '@credit/catalog';

const TOKEN_TTL_SECONDS = 600;

/**
 * Publishes the double publicity (双公示) catalog of the demo departments, each item confirmed by its owner and the
 * version published by the leading group office. A second start finds it published and changes nothing.
 */
export async function seedCatalog(address: string, secret: string): Promise<string> {
  const token = (department: string, role: 'department' | 'office') =>
    signToken({ department, role, subject: `demo-${department}` }, secret, { ttlSeconds: TOKEN_TTL_SECONDS });
  const result = await publishDefaultCatalog(address, {
    departmentToken: (department) => token(department, 'department'),
    officeToken: token('ndrc', 'office'),
  });
  return result.published
    ? `演示数据: 已发布公共信用信息目录 ${result.label}（第 ${result.version} 版，新建 ${result.created} 个目录事项）`
    : `演示数据: 公共信用信息目录已发布（第 ${result.version} 版 ${result.label}，默认目录 ${DEFAULT_CATALOG_LABEL} 的事项均已在内）`;
}
