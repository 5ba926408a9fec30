// Checks k8s/ without a cluster: schemas of the Kubernetes API (kubernetes-models), the overlays rendered with their
// patches, and the invariants the design asks of every workload. Kustomize is not installed on the project's
// machines, so the small part of it the manifests use is re-done here; anything beyond that part fails loudly.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SERVICES } from '../src/services.js';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IContainer, IPodTemplateSpec } from 'kubernetes-models/v1';

const k8sDir = fileURLToPath(new URL('../../../k8s/', import.meta.url));
const dockerfile = fileURLToPath(new URL('../../docker/service.Dockerfile', import.meta.url));
const overlays = ['overlays/dev', 'overlays/prod'] as const;
const renderings = ['base', ...overlays] as const;

type Doc = Record<string, unknown>;
interface Manifest {
  source: string;
  doc: Doc;
}

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const nameOf = (doc: Doc): string => (isObject(doc.metadata) ? String(doc.metadata.name) : '');
const rel = (path: string) => relative(k8sDir, path);

// ---- reading ----

function yamlFiles(): string[] {
  return readdirSync(k8sDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(k8sDir, f))
    .sort();
}

function readYaml(file: string, version: '1.1' | '1.2' = '1.2'): Doc[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { version })
    .map((d, i) => {
      const error = d.errors[0];
      if (error) throw new Error(`${rel(file)}#${i}: ${error.message}`);
      return d.toJS() as unknown;
    })
    .filter((v) => v !== null)
    .map((v, i) => {
      if (!isObject(v)) throw new Error(`${rel(file)}#${i} is not a mapping`);
      return v;
    });
}

// ---- schemas ----

const model =
  <M extends { validate(): void }>(Model: new (data: never) => M) =>
  (doc: Doc) =>
    new Model(doc as never).validate();
const schemas = new Map<string, (doc: Doc) => void>([
  ['apps/v1 Deployment', model(Deployment)],
  ['apps/v1 StatefulSet', model(StatefulSet)],
  ['v1 Service', model(Service)],
  ['v1 ServiceAccount', model(ServiceAccount)],
  ['v1 ConfigMap', model(ConfigMap)],
  ['v1 Namespace', model(Namespace)],
  ['policy/v1 PodDisruptionBudget', model(PodDisruptionBudget)],
  ['autoscaling/v2 HorizontalPodAutoscaler', model(HorizontalPodAutoscaler)],
  ['networking.k8s.io/v1 NetworkPolicy', model(NetworkPolicy)],
]);
const coreKinds = new Set([...schemas.keys()].map((k) => k.split(' ')[1]));
// Parsed only: their schemas live in the operators' CRDs, which are not part of the Kubernetes OpenAPI.
const parsedOnly = new Set(['kustomize.config.k8s.io/v1beta1 Kustomization', 'postgresql.cnpg.io/v1 Cluster']);

/** Schema errors of the core-kind documents, one line each; other kinds must be known to be parsed only. */
function schemaErrors(manifests: Manifest[]): string[] {
  const errors: string[] = [];
  for (const { source, doc } of manifests) {
    const key = `${String(doc.apiVersion)} ${String(doc.kind)}`;
    const validate = schemas.get(key);
    if (validate) {
      try {
        validate(doc);
      } catch (err) {
        errors.push(`${source} ${key}: ${(err as Error).message}`);
      }
    } else if (coreKinds.has(String(doc.kind))) errors.push(`${source}: ${key} is not the API version this test knows`);
    else if (!parsedOnly.has(key)) errors.push(`${source}: ${key} is neither validated nor known to be third-party`);
  }
  return errors;
}

// ---- the part of kustomize the manifests use ----

interface Rendering {
  objects: Manifest[];
  /** Every file the rendering read, to find files no kustomization uses. */
  files: Set<string>;
}

const kustomizeFields = new Set(['apiVersion', 'kind', 'resources', 'patches', 'namespace', 'labels']);
// Strategic merge patch: these lists merge item by item on the key; every other list is replaced.
const mergeKeys: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  topologySpreadConstraints: 'topologyKey',
};

function merge(base: unknown, patch: unknown, strategic: boolean, field = ''): unknown {
  if (isObject(base) && isObject(patch)) {
    const out: Doc = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`patch directive ${key} is not rendered by this test`);
      if (value === null) delete out[key];
      else out[key] = merge(base[key], value, strategic, key);
    }
    return out;
  }
  const key = mergeKeys[field];
  if (strategic && key && Array.isArray(base) && Array.isArray(patch)) {
    const out = [...base];
    for (const item of patch) {
      const at = out.findIndex((b) => isObject(b) && isObject(item) && b[key] === item[key]);
      if (at >= 0) out[at] = merge(out[at], item, strategic);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

function child(doc: Doc, key: string): Doc {
  const value = doc[key];
  if (isObject(value)) return value;
  const created: Doc = {};
  doc[key] = created;
  return created;
}

function render(dir: string): Rendering {
  const file = join(dir, 'kustomization.yaml');
  const [k] = readYaml(file);
  if (!k) throw new Error(`${rel(file)} is empty`);
  const unsupported = Object.keys(k).filter((key) => !kustomizeFields.has(key));
  if (unsupported.length > 0) throw new Error(`${rel(file)}: ${unsupported.join(', ')} not rendered by this test`);
  const files = new Set([file]);
  const objects: Manifest[] = [];
  for (const entry of list(k.resources)) {
    const path = resolve(dir, String(entry));
    if (!existsSync(path)) throw new Error(`${rel(file)}: resource ${String(entry)} does not exist`);
    if (statSync(path).isDirectory()) {
      const sub = render(path);
      objects.push(...sub.objects);
      for (const f of sub.files) files.add(f);
    } else {
      files.add(path);
      readYaml(path).forEach((doc, i) => objects.push({ source: `${rel(path)}#${i}`, doc }));
    }
  }
  for (const patch of list(k.patches)) {
    if (!isObject(patch) || typeof patch.path !== 'string' || Object.keys(patch).length !== 1) {
      throw new Error(`${rel(file)}: only patches given by a path (strategic merge) are rendered by this test`);
    }
    const path = resolve(dir, patch.path);
    if (!existsSync(path)) throw new Error(`${rel(file)}: patch ${patch.path} does not exist`);
    files.add(path);
    for (const p of readYaml(path)) {
      const targets = objects.filter(
        (o) => o.doc.apiVersion === p.apiVersion && o.doc.kind === p.kind && nameOf(o.doc) === nameOf(p),
      );
      const [target] = targets;
      if (!target || targets.length > 1) {
        throw new Error(`${rel(path)}: ${String(p.kind)} ${nameOf(p)} matches ${targets.length} resources, not 1`);
      }
      target.doc = merge(target.doc, p, coreKinds.has(String(p.kind))) as Doc;
    }
  }
  if (typeof k.namespace === 'string') {
    for (const { doc } of objects) if (doc.kind !== 'Namespace') child(doc, 'metadata').namespace = k.namespace;
  }
  for (const label of list(k.labels)) {
    if (!isObject(label) || label.includeSelectors === true) {
      throw new Error(`${rel(file)}: labels on selectors are not rendered by this test`);
    }
    for (const { doc } of objects) {
      Object.assign(child(child(doc, 'metadata'), 'labels'), label.pairs);
      const template = isObject(doc.spec) ? doc.spec.template : undefined;
      if (label.includeTemplates === true && isObject(template)) {
        Object.assign(child(child(template, 'metadata'), 'labels'), label.pairs);
      }
    }
  }
  return { objects, files };
}

const rendered = (name: string) => render(join(k8sDir, name)).objects;

// ---- typed views of rendered objects ----

interface Workload {
  source: string;
  kind: string;
  name: string;
  replicas: number | undefined;
  selector: Record<string, string>;
  template: IPodTemplateSpec;
  spec: Doc;
}

function workloads(objects: Manifest[]): Workload[] {
  return objects
    .filter(({ doc }) => doc.kind === 'Deployment' || doc.kind === 'StatefulSet')
    .map(({ source, doc }) => {
      const spec = doc.spec as Doc & { replicas?: number; selector: { matchLabels?: Record<string, string> } };
      return {
        source,
        kind: String(doc.kind),
        name: nameOf(doc),
        replicas: spec.replicas,
        selector: spec.selector.matchLabels ?? {},
        template: spec.template as IPodTemplateSpec,
        spec,
      };
    });
}

const containersOf = (w: Workload): IContainer[] => [
  ...(w.template.spec?.initContainers ?? []),
  ...(w.template.spec?.containers ?? []),
];
const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const ofKind = (objects: Manifest[], kind: string) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);
const find = (objects: Manifest[], kind: string, name: string) => {
  const found = ofKind(objects, kind).find((d) => nameOf(d) === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found as Doc & { spec: Doc; data: Record<string, string> };
};
const workload = (objects: Manifest[], name: string) => {
  const found = workloads(objects).find((w) => w.name === name);
  if (!found) throw new Error(`no workload ${name}`);
  return found;
};

/** CPU cores or bytes. */
function quantity(q: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m?.[1]) throw new Error(`unreadable quantity ${String(q)}`);
  const factor = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * factor;
}

// ---- invariants; each returns its violations, one line each ----

function securityProblems(objects: Manifest[]): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects)) {
    const pod = w.template.spec;
    const podSecurity = pod?.securityContext ?? {};
    if (pod?.automountServiceAccountToken !== false) problems.push(`${w.name}: mounts an API token`);
    if (pod?.hostNetwork || pod?.hostPID || pod?.hostIPC) problems.push(`${w.name}: shares host namespaces`);
    for (const c of containersOf(w)) {
      const s = c.securityContext ?? {};
      const at = `${w.name}/${c.name}`;
      if ((s.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not set`);
      if (!((s.runAsUser ?? podSecurity.runAsUser ?? 0) > 0)) problems.push(`${at}: no numeric non-root uid`);
      if (s.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is writable`);
      if (s.allowPrivilegeEscalation !== false) problems.push(`${at}: privilege escalation allowed`);
      if (s.privileged === true) problems.push(`${at}: privileged`);
      if (!s.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities not dropped`);
      if ((s.capabilities?.add ?? []).length > 0) problems.push(`${at}: adds capabilities`);
      const seccomp = s.seccompProfile ?? podSecurity.seccompProfile;
      if (seccomp?.type !== 'RuntimeDefault') problems.push(`${at}: no RuntimeDefault seccomp profile`);
    }
  }
  return problems;
}

function deploymentProblems(objects: Manifest[]): string[] {
  const problems: string[] = [];
  for (const w of workloads(objects).filter((x) => x.kind === 'Deployment')) {
    for (const c of w.template.spec?.containers ?? []) {
      const at = `${w.name}/${c.name}`;
      const grpcPort = c.ports?.find((p) => p.name === 'grpc')?.containerPort;
      const httpPort = c.ports?.find((p) => p.name === 'http')?.containerPort;
      // Platform services are probed over grpc.health.v1; a sector system (no gRPC server) on its HTTP port.
      if (grpcPort === undefined && httpPort === undefined) problems.push(`${at}: no port named grpc or http`);
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
        const p = c[probe];
        if (grpcPort !== undefined) {
          if (p?.grpc?.port !== grpcPort) problems.push(`${at}: ${probe} is not a gRPC probe on ${grpcPort}`);
        } else if (httpPort !== undefined) {
          const port = p?.httpGet?.port ?? p?.tcpSocket?.port;
          if (port !== 'http' && port !== httpPort) problems.push(`${at}: ${probe} is not on the HTTP port ${httpPort}`);
        }
      }
      for (const resource of ['cpu', 'memory']) {
        const request = c.resources?.requests?.[resource];
        const limit = c.resources?.limits?.[resource];
        if (request === undefined || limit === undefined) problems.push(`${at}: no ${resource} request or limit`);
        else if (quantity(request) > quantity(limit)) problems.push(`${at}: ${resource} request above its limit`);
      }
    }
  }
  return problems;
}

type Selector = Record<string, string>;

/** Names that point nowhere: selectors, ports, autoscaler targets, ConfigMaps, ServiceAccounts, governing Services. */
function referenceProblems(objects: Manifest[]): string[] {
  const all = workloads(objects);
  const problems: string[] = [];
  const names = (kind: string) => new Set(ofKind(objects, kind).map(nameOf));
  const selected = (selector: Selector) => all.filter((w) => selects(selector, w.template.metadata?.labels));
  const listens = (ws: Workload[], port: unknown) =>
    ws.some((w) => containersOf(w).some((c) => c.ports?.some((p) => p.name === port || p.containerPort === port)));
  for (const w of all) {
    if (!selects(w.selector, w.template.metadata?.labels)) problems.push(`${w.name}: selector misses its own pods`);
    const pod = w.template.spec;
    const account = pod?.serviceAccountName;
    if (account && !names('ServiceAccount').has(account)) problems.push(`${w.name}: no ServiceAccount ${account}`);
    const configMaps = [
      ...containersOf(w).flatMap((c) => (c.envFrom ?? []).map((e) => e.configMapRef?.name)),
      ...(pod?.volumes ?? []).map((v) => v.configMap?.name),
    ];
    for (const cm of configMaps) if (cm && !names('ConfigMap').has(cm)) problems.push(`${w.name}: no ConfigMap ${cm}`);
    const governing = ofKind(objects, 'Service').find((s) => nameOf(s) === w.spec.serviceName);
    if (w.kind === 'StatefulSet' && (governing?.spec as Doc | undefined)?.clusterIP !== 'None') {
      problems.push(`${w.name}: no headless Service ${String(w.spec.serviceName)}`);
    }
  }
  for (const svc of ofKind(objects, 'Service')) {
    const spec = svc.spec as { selector: Selector; ports: Array<{ targetPort: unknown }> };
    const pods = selected(spec.selector);
    if (pods.length === 0) problems.push(`Service ${nameOf(svc)} selects no pods`);
    for (const { targetPort } of spec.ports) {
      if (!listens(pods, targetPort)) problems.push(`Service ${nameOf(svc)}: no pod listens on ${String(targetPort)}`);
    }
  }
  for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) {
    const ref = (hpa.spec as { scaleTargetRef: Doc }).scaleTargetRef;
    if (!all.some((w) => w.kind === ref.kind && w.name === ref.name)) problems.push(`HPA ${nameOf(hpa)}: no target`);
  }
  for (const pdb of ofKind(objects, 'PodDisruptionBudget')) {
    const selector = (pdb.spec as { selector: { matchLabels: Selector } }).selector.matchLabels;
    if (selected(selector).length === 0) problems.push(`PDB ${nameOf(pdb)} selects no pods`);
  }
  for (const np of ofKind(objects, 'NetworkPolicy')) {
    const spec = np.spec as { podSelector: { matchLabels: Selector }; ingress?: Array<{ ports?: Doc[] }> };
    const pods = selected(spec.podSelector.matchLabels);
    if (pods.length === 0) problems.push(`NetworkPolicy ${nameOf(np)} selects no pods`);
    for (const { port } of (spec.ingress ?? []).flatMap((rule) => rule.ports ?? [])) {
      if (!listens(pods, port)) problems.push(`NetworkPolicy ${nameOf(np)}: no pod listens on ${String(port)}`);
    }
  }
  return problems;
}

// ---- network policies, read as the API server would for a pod of the same namespace ----

interface PolicyPeer {
  podSelector?: { matchLabels?: Selector; matchExpressions?: unknown };
  namespaceSelector?: { matchLabels?: Selector; matchExpressions?: unknown };
  ipBlock?: unknown;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: Array<{ port?: unknown; protocol?: string }>;
}

const emptySelector = (s: { matchLabels?: Selector; matchExpressions?: unknown } | undefined) =>
  s !== undefined && Object.keys(s.matchLabels ?? {}).length === 0 && s.matchExpressions === undefined;

/** Whether a peer entry covers a pod of the policy's own namespace that carries `labels`. */
function peerCovers(peer: PolicyPeer, labels: Selector): boolean {
  if (peer.ipBlock !== undefined) return false;
  if (peer.podSelector?.matchExpressions !== undefined) throw new Error('matchExpressions are not read by this test');
  // A namespaceSelector names namespaces by label; only an empty one surely includes the policy's own namespace.
  if (peer.namespaceSelector !== undefined && !emptySelector(peer.namespaceSelector)) return false;
  return Object.entries(peer.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** Whether the rules let TCP traffic on `port` through to or from a same-namespace pod carrying `labels`. */
function policyAllows(rules: PolicyRule[] | undefined, side: 'from' | 'to', labels: Selector, port: number): boolean {
  return (rules ?? []).some((rule) => {
    const ports = rule.ports ?? [];
    const opens = (p: { port?: unknown; protocol?: string }) =>
      (p.port === undefined || p.port === port) && (p.protocol ?? 'TCP') === 'TCP';
    const portAllowed = ports.length === 0 || ports.some(opens);
    const peers = rule[side] ?? [];
    return portAllowed && (peers.length === 0 || peers.some((peer) => peerCovers(peer, labels)));
  });
}

function policyOf(objects: Manifest[], name: string): { ingress?: PolicyRule[]; egress?: PolicyRule[] } {
  return find(objects, 'NetworkPolicy', name).spec as { ingress?: PolicyRule[]; egress?: PolicyRule[] };
}

const podLabels = (objects: Manifest[], name: string): Selector =>
  workload(objects, name).template.metadata?.labels ?? {};
/** Whether the policy of `from` lets its pods open a connection to the pods of workload `to` on `port`. */
const egressAllows = (objects: Manifest[], from: string, to: string, port: number) =>
  policyAllows(policyOf(objects, from).egress, 'to', podLabels(objects, to), port);
/** Whether the policy of `to` lets the pods of workload `from` connect to its pods on `port`. */
const ingressAllows = (objects: Manifest[], to: string, from: string, port: number) =>
  policyAllows(policyOf(objects, to).ingress, 'from', podLabels(objects, from), port);
const grpcPortOf = (name: string) => SERVICES.find((s) => s.name === name)?.grpcPort ?? 0;
// The lists service's ports (README); checked against the launcher's once it starts lists too.
const LISTS = { grpc: 50054, metrics: 9464 };
// Platform services with manifests, whether or not the launcher starts them yet.
const platformServices = [...new Set([...SERVICES.map((s) => s.name), 'lists'])];
// Every workload that owns a PostgreSQL cluster: the platform's services and the example sector system.
const databaseOwners = [...platformServices, 'procurement'];
const PROCUREMENT_HTTP = 8090;

/** The peers a policy's rules name, one readable line per peer and port. */
function peersOf(rules: PolicyRule[] | undefined, side: 'from' | 'to'): string[] {
  const labels = (s: { matchLabels?: Selector } | undefined) =>
    Object.entries(s?.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  return (rules ?? []).flatMap((rule) =>
    (rule[side] ?? []).flatMap((peer) =>
      (rule.ports ?? []).map(
        (p) =>
          `${peer.namespaceSelector ? `ns(${labels(peer.namespaceSelector)}) ` : ''}pod(${labels(peer.podSelector)}):${String(p.port)}/${p.protocol ?? 'TCP'}`,
      ),
    ),
  );
}

// ---- the tests ----

describe('the Kubernetes manifests', () => {
  it('every YAML file under k8s/ parses, and reads the same as YAML 1.1, which kubectl speaks', () => {
    const files = yamlFiles();
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(readYaml(file, '1.1'), rel(file)).toEqual(readYaml(file));
  });

  it('every document of a core kind under k8s/, patches aside, passes the Kubernetes schema', () => {
    const patches = new Set(
      yamlFiles()
        .filter((f) => f.endsWith('kustomization.yaml'))
        .flatMap((f) =>
          readYaml(f).flatMap((k) => list(k.patches).map((p) => resolve(dirname(f), String((p as Doc).path)))),
        ),
    );
    const manifests = yamlFiles()
      .filter((f) => !patches.has(f))
      .flatMap((f) => readYaml(f).map((doc, i) => ({ source: `${rel(f)}#${i}`, doc })));
    const validated = manifests.filter(({ doc }) => schemas.has(`${String(doc.apiVersion)} ${String(doc.kind)}`));
    expect(validated.length).toBeGreaterThan(12);
    expect(schemaErrors(manifests)).toEqual([]);
  });

  it('the schema check rejects a probe that names its gRPC port, as the API server would', () => {
    const broken = structuredClone(find(rendered('base'), 'Deployment', 'registry'));
    const [container] = (broken.spec.template as IPodTemplateSpec).spec?.containers ?? [];
    expect(container?.readinessProbe?.grpc).toBeDefined();
    (container?.readinessProbe?.grpc as { port: unknown }).port = 'grpc';
    expect(schemaErrors([{ source: 'broken', doc: broken }])).toEqual([
      expect.stringMatching(/readinessProbe\/grpc\/port must be integer/),
    ]);
  });

  it.each(overlays)('%s renders with each patch applied to one base resource, and passes the schema', (overlay) => {
    const objects = rendered(overlay);
    expect(schemaErrors(objects)).toEqual([]);
    const ids = (ms: Manifest[]) => ms.map(({ doc }) => `${String(doc.kind)}/${nameOf(doc)}`).sort();
    const namespace = ofKind(objects, 'Namespace').map((d) => `Namespace/${nameOf(d)}`);
    expect(ids(objects)).toEqual([...ids(rendered('base')), ...namespace].sort());
  });

  it('every resource and patch a kustomization.yaml lists exists on disk', () => {
    const missing: string[] = [];
    for (const file of yamlFiles().filter((f) => f.endsWith('kustomization.yaml'))) {
      const [k] = readYaml(file);
      for (const entry of [...list(k?.resources), ...list(k?.patches).map((p) => (p as Doc).path)]) {
        const path = resolve(dirname(file), String(entry));
        const isDir = existsSync(path) && statSync(path).isDirectory();
        if (!existsSync(path) || (isDir && !existsSync(join(path, 'kustomization.yaml')))) {
          missing.push(`${rel(file)}: ${String(entry)}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every YAML file under k8s/ is used by the base or an overlay', () => {
    const used = new Set(overlays.flatMap((o) => [...render(join(k8sDir, o)).files]));
    expect(yamlFiles().filter((f) => !used.has(f)).map(rel)).toEqual([]);
  });

  it.each(renderings)(
    'in %s, every container runs as non-root with a read-only root filesystem and no capabilities',
    (name) => {
      const objects = rendered(name);
      expect(workloads(objects).flatMap(containersOf).length).toBeGreaterThanOrEqual(2);
      expect(securityProblems(objects)).toEqual([]);
    },
  );

  it.each(renderings)('in %s, every Deployment has gRPC probes on its gRPC port and requests within limits', (name) => {
    const objects = rendered(name);
    expect(workloads(objects).filter((w) => w.kind === 'Deployment').length).toBeGreaterThan(0);
    expect(deploymentProblems(objects)).toEqual([]);
  });

  it.each(renderings)('in %s, every selector, port, target, ConfigMap and account named exists', (name) => {
    expect(referenceProblems(rendered(name))).toEqual([]);
  });

  it.each(renderings)("in %s, the autoscaler's floor is the replica count and the PDB allows an eviction", (name) => {
    const objects = rendered(name);
    for (const service of SERVICES.map((s) => s.name)) {
      const deployment = workload(objects, service);
      const hpa = find(objects, 'HorizontalPodAutoscaler', service).spec;
      expect(hpa.minReplicas, service).toBe(deployment.replicas);
      expect(Number(hpa.maxReplicas)).toBeGreaterThan(Number(hpa.minReplicas));
      const pdb = find(objects, 'PodDisruptionBudget', service).spec;
      const replicas = deployment.replicas ?? 1;
      const allowed = pdb.minAvailable === undefined ? Number(pdb.maxUnavailable) : replicas - Number(pdb.minAvailable);
      expect(allowed, service).toBeGreaterThanOrEqual(1);
    }
  });

  it.each(renderings)('in %s, every launcher service runs on its ports with its own database', (name) => {
    const objects = rendered(name);
    for (const spec of SERVICES) {
      const deployment = workload(objects, spec.name);
      const [container] = deployment.template.spec?.containers ?? [];
      expect(container?.ports?.map((p) => p.containerPort), spec.name).toEqual([spec.grpcPort, spec.metricsPort]);
      expect(container?.readinessProbe?.grpc?.port, spec.name).toBe(spec.grpcPort);
      const config = find(objects, 'ConfigMap', `${spec.name}-config`).data;
      expect(config[spec.grpcPortEnv], spec.name).toBe(String(spec.grpcPort));
      expect(config[spec.metricsPortEnv], spec.name).toBe(String(spec.metricsPort));
      // The Node.js flags npm start runs a service with are the ones its pods run with.
      expect(config.NODE_OPTIONS, spec.name).toBe(spec.nodeFlags?.join(' '));
      expect(find(objects, 'Cluster', `${spec.name}-db`), spec.name).toBeDefined();
    }
  });

  it.each(renderings)('in %s, disclosures calls the catalog through its Service, and both policies let it', (name) => {
    const objects = rendered(name);
    const port = grpcPortOf('catalog');
    const service = find(objects, 'Service', 'catalog').spec as { ports: Array<{ name: string; port: number }> };
    expect(service.ports.find((p) => p.name === 'grpc')?.port).toBe(port);
    expect(find(objects, 'ConfigMap', 'disclosures-config').data.CATALOG_ADDRESS).toBe(`catalog:${port}`);
    expect(egressAllows(objects, 'disclosures', 'catalog', port)).toBe(true);
    expect(ingressAllows(objects, 'catalog', 'disclosures', port)).toBe(true);
  });

  it('the network policy reading tells a call the policies do not allow from one they do', () => {
    const objects = rendered('base');
    // Neither the catalog nor disclosures calls the registry, and the catalog never calls disclosures.
    expect(egressAllows(objects, 'catalog', 'disclosures', grpcPortOf('disclosures'))).toBe(false);
    expect(egressAllows(objects, 'disclosures', 'registry', grpcPortOf('registry'))).toBe(false);
    // Metrics are scraped from the monitoring namespace only, not by a neighbour pod.
    const metrics = SERVICES.find((s) => s.name === 'catalog')?.metricsPort ?? 0;
    expect(ingressAllows(objects, 'catalog', 'disclosures', metrics)).toBe(false);
  });

  it.each(platformServices)(
    '%s may reach its own database and NATS, and no other service\'s database',
    (service) => {
      const objects = rendered('base');
      const egress = policyOf(objects, service).egress;
      for (const other of databaseOwners) {
        const database = { 'cnpg.io/cluster': `${other}-db`, 'cnpg.io/instanceRole': 'primary' };
        expect(policyAllows(egress, 'to', database, 5432), `${service} -> ${other}-db`).toBe(other === service);
      }
      expect(policyAllows(egress, 'to', podLabels(objects, 'nats'), 4222)).toBe(true);
    },
  );

  it('the base labels every object and pod template as part of the platform, and leaves selectors alone', () => {
    const objects = rendered('base');
    for (const { source, doc } of objects) {
      expect(child(doc, 'metadata').labels, source).toHaveProperty(['app.kubernetes.io/part-of'], 'credit-platform');
    }
    for (const w of workloads(objects)) {
      expect(w.template.metadata?.labels?.['app.kubernetes.io/part-of'], w.source).toBe('credit-platform');
      expect(w.selector, w.source).not.toHaveProperty(['app.kubernetes.io/part-of']);
    }
  });

  it.each(SERVICES.map((s) => s.name))(
    'the dev overlay runs one %s pod with debug logs, smaller requests and one database instance',
    (service) => {
      const base = rendered('base');
      const dev = rendered('overlays/dev');
      const requests = (objects: Manifest[]) =>
        workload(objects, service).template.spec?.containers[0]?.resources?.requests ?? {};
      expect(workload(dev, service).replicas).toBe(1);
      const config = find(dev, 'ConfigMap', `${service}-config`).data;
      expect(config).toMatchObject({ LOG_LEVEL: 'debug', NATS_URL: 'nats://nats:4222' });
      expect(quantity(requests(dev).cpu)).toBeLessThan(quantity(requests(base).cpu));
      expect(quantity(requests(dev).memory)).toBeLessThan(quantity(requests(base).memory));
      const db = find(dev, 'Cluster', `${service}-db`).spec;
      expect(db.instances).toBe(1);
      expect(db.postgresql).not.toHaveProperty('synchronous');
    },
  );

  it.each(SERVICES.map((s) => s.name))(
    'the prod overlay runs three %s pods spread over nodes and zones, and samples a tenth of traces',
    (service) => {
      const prod = rendered('overlays/prod');
      const deployment = workload(prod, service);
      expect(deployment.replicas).toBe(3);
      const config = find(prod, 'ConfigMap', `${service}-config`).data;
      expect(config).toMatchObject({ TRACE_SAMPLE_PERCENT: '10', LOG_LEVEL: 'info' });
      const spread = deployment.template.spec?.topologySpreadConstraints;
      expect(spread?.map((t) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
      for (const t of spread ?? []) expect(t.labelSelector?.matchLabels).toEqual(deployment.selector);
      expect(deployment.template.spec?.containers.map((c) => c.name)).toEqual([service]);
    },
  );

  it.each([
    ['overlays/dev', 'credit-dev'],
    ['overlays/prod', 'credit'],
  ])('%s puts every object into %s, a namespace enforcing the restricted Pod Security Standard', (overlay, ns) => {
    const objects = rendered(overlay);
    const namespaces = ofKind(objects, 'Namespace');
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0]?.metadata).toMatchObject({
      name: ns,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
    const stray = objects.filter(({ doc }) => doc.kind !== 'Namespace' && child(doc, 'metadata').namespace !== ns);
    expect(stray.map((o) => o.source)).toEqual([]);
  });

  it('NATS runs three 2.12 JetStream nodes that fsync every write; every service database has three instances', () => {
    const objects = rendered('base');
    const nats = workload(objects, 'nats');
    expect(nats.replicas).toBe(3);
    expect(nats.template.spec?.containers[0]?.image).toMatch(/^nats:2\.12(\.\d+)?-alpine$/);
    const conf = find(objects, 'ConfigMap', 'nats-config').data['nats.conf'] ?? '';
    expect(conf).toMatch(/jetstream\s*\{[^}]*\bsync_interval:\s*always\b[^}]*\}/);
    const routes = [...conf.matchAll(/nats:\/\/([\w-]+)\.([\w-]+):6222/g)].map((m) => `${m[1]}.${m[2]}`);
    expect(routes).toEqual([0, 1, 2].map((i) => `nats-${i}.${String(nats.spec.serviceName)}`));
    const storeDir = /store_dir:\s*(\S+)/.exec(conf)?.[1];
    const mount = nats.template.spec?.containers[0]?.volumeMounts?.find((m) => m.mountPath === storeDir);
    expect((nats.spec.volumeClaimTemplates as Doc[]).map(nameOf)).toEqual([mount?.name]);
    for (const { name } of SERVICES) {
      const db = find(objects, 'Cluster', `${name}-db`);
      expect(db.apiVersion, name).toBe('postgresql.cnpg.io/v1');
      expect(db.spec.instances, name).toBe(3);
      expect(db.spec.postgresql, name).toMatchObject({ synchronous: { method: 'any', number: 1 } });
      expect(db.spec.bootstrap, name).toEqual({ initdb: { database: name, owner: name } });
    }
  });

  it('no Secret is committed', () => {
    const docs = yamlFiles().flatMap((f) => readYaml(f));
    expect(docs.filter((d) => d.kind === 'Secret' || 'secretGenerator' in d)).toEqual([]);
  });

  it.each(SERVICES.map((s) => s.name))('%s takes its database URL and token secret from its own Secret, its NATS password from nats-users', (service) => {
    const refs = containersOf(workload(rendered('base'), service))
      .flatMap((c) => c.env ?? [])
      .flatMap(({ name, valueFrom }) => {
        const ref = valueFrom?.secretKeyRef;
        return ref ? [`${name}=${ref.name}/${ref.key}`] : [];
      });
    expect(refs.sort()).toEqual([
      `AUTH_TOKEN_SECRET=${service}-secrets/auth-token-secret`,
      `DATABASE_URL=${service}-secrets/database-url`,
      'NATS_PASSWORD=nats-users/platform-password',
    ]);
  });

  it.each(SERVICES.map((s) => s.name))('the %s pods run as the uid and gid the image declares', (service) => {
    const user = /^USER (\d+):(\d+)$/m.exec(readFileSync(dockerfile, 'utf8'));
    expect(user).not.toBeNull();
    const pod = workload(rendered('base'), service).template.spec;
    const { runAsUser, runAsGroup } = pod?.securityContext ?? {};
    expect([runAsUser, runAsGroup]).toEqual([Number(user?.[1]), Number(user?.[2])]);
    expect(pod?.containers[0]?.image).toMatch(new RegExp(`^credit-platform/${service}:`));
  });
});

describe('the lists service and the example sector system (procurement) in the manifests', () => {
  it('the launcher starts lists on the ports the manifests give it', () => {
    const spec = SERVICES.find((s) => s.name === 'lists');
    expect([spec?.grpcPort, spec?.metricsPort]).toEqual([LISTS.grpc, LISTS.metrics]);
    const [container] = workload(rendered('base'), 'lists').template.spec?.containers ?? [];
    expect(container?.ports?.map((p) => p.containerPort)).toEqual([LISTS.grpc, LISTS.metrics]);
    expect(find(rendered('base'), 'ConfigMap', 'lists-config').data).toMatchObject({
      LISTS_GRPC_PORT: String(LISTS.grpc),
      LISTS_METRICS_PORT: String(LISTS.metrics),
    });
  });

  it.each(renderings)('in %s, department and sector systems may call lists:50054, and reach nothing else of it', (name) => {
    const objects = rendered(name);
    const service = find(objects, 'Service', 'lists').spec as { ports: Array<{ name: string; port: number }> };
    expect(service.ports.find((p) => p.name === 'grpc')?.port).toBe(LISTS.grpc);
    expect(find(objects, 'ConfigMap', 'procurement-config').data.LISTS_ADDRESS).toBe(`lists:${LISTS.grpc}`);
    expect(egressAllows(objects, 'procurement', 'lists', LISTS.grpc)).toBe(true);
    // Any pod of the namespace (department front-end processors, later the website), and platform clients elsewhere.
    for (const caller of ['procurement', ...SERVICES.map((s) => s.name)]) {
      expect(ingressAllows(objects, 'lists', caller, LISTS.grpc), caller).toBe(true);
    }
    expect(peersOf(policyOf(objects, 'lists').ingress, 'from')).toEqual([
      `pod():${LISTS.grpc}/TCP`,
      `ns() pod(credit.platform/role=client):${LISTS.grpc}/TCP`,
      `ns(kubernetes.io/metadata.name=monitoring) pod():${LISTS.metrics}/TCP`,
    ]);
    // Metrics are for Prometheus, not for the sector system.
    expect(ingressAllows(objects, 'lists', 'procurement', LISTS.metrics)).toBe(false);
    expect(egressAllows(objects, 'procurement', 'lists', LISTS.metrics)).toBe(false);
  });

  it('lists calls no other service', () => {
    const objects = rendered('base');
    for (const other of SERVICES.filter((s) => s.name !== 'lists')) {
      expect(egressAllows(objects, 'lists', other.name, other.grpcPort), other.name).toBe(false);
    }
    expect(egressAllows(objects, 'lists', 'procurement', PROCUREMENT_HTTP)).toBe(false);
  });

  it('procurement reaches its own database, NATS and lists:50054, and nothing of the platform besides', () => {
    const objects = rendered('base');
    const egress = policyOf(objects, 'procurement').egress;
    for (const owner of databaseOwners) {
      const database = { 'cnpg.io/cluster': `${owner}-db`, 'cnpg.io/instanceRole': 'primary' };
      expect(policyAllows(egress, 'to', database, 5432), `procurement -> ${owner}-db`).toBe(owner === 'procurement');
    }
    expect(egressAllows(objects, 'procurement', 'nats', 4222)).toBe(true);
    for (const spec of SERVICES.filter((s) => s.name !== 'lists')) {
      expect(egressAllows(objects, 'procurement', spec.name, spec.grpcPort), spec.name).toBe(false);
    }
    // The whole list, so that a rule added later has to be added here too, on purpose.
    expect(peersOf(egress, 'to')).toEqual([
      'pod(cnpg.io/cluster=procurement-db):5432/TCP',
      'pod(app.kubernetes.io/name=nats):4222/TCP',
      `pod(app.kubernetes.io/name=lists):${LISTS.grpc}/TCP`,
      'ns(kubernetes.io/metadata.name=kube-system) pod(k8s-app=kube-dns):53/UDP',
      'ns(kubernetes.io/metadata.name=kube-system) pod(k8s-app=kube-dns):53/TCP',
    ]);
  });

  it('only the ingress controller may open the procurement HTTP port', () => {
    const objects = rendered('base');
    for (const w of workloads(objects).filter((x) => x.name !== 'procurement')) {
      expect(ingressAllows(objects, 'procurement', w.name, PROCUREMENT_HTTP), w.name).toBe(false);
    }
    expect(peersOf(policyOf(objects, 'procurement').ingress, 'from')).toEqual([
      `ns(kubernetes.io/metadata.name=ingress-nginx) pod(app.kubernetes.io/name=ingress-nginx):${PROCUREMENT_HTTP}/TCP`,
    ]);
    const [container] = workload(objects, 'procurement').template.spec?.containers ?? [];
    expect(container?.ports?.map((p) => p.containerPort)).toEqual([PROCUREMENT_HTTP]);
    expect(find(objects, 'ConfigMap', 'procurement-config').data.PROCUREMENT_HTTP_PORT).toBe(String(PROCUREMENT_HTTP));
  });

  it('procurement has its own three-instance database, its secrets from its own Secret, and the image of the example', () => {
    const objects = rendered('base');
    const db = find(objects, 'Cluster', 'procurement-db').spec;
    expect(db.instances).toBe(3);
    expect(db.postgresql).toMatchObject({ synchronous: { method: 'any', number: 1 } });
    expect(db.bootstrap).toEqual({ initdb: { database: 'procurement', owner: 'procurement' } });
    const deployment = workload(objects, 'procurement');
    const refs = containersOf(deployment)
      .flatMap((c) => c.env ?? [])
      .flatMap(({ name, valueFrom }) => (valueFrom?.secretKeyRef ? [`${name}=${valueFrom.secretKeyRef.name}/${valueFrom.secretKeyRef.key}`] : []));
    expect(refs.sort()).toEqual([
      'NATS_PASS=procurement-secrets/nats-password',
      'PROCUREMENT_DATABASE_URL=procurement-secrets/database-url',
      'PROCUREMENT_TOKEN=procurement-secrets/token',
    ]);
    expect(deployment.template.spec?.containers[0]?.image).toMatch(/^credit-platform\/sector-example:/);
    const user = /^USER (\d+):(\d+)$/m.exec(readFileSync(dockerfile, 'utf8'));
    const { runAsUser, runAsGroup } = deployment.template.spec?.securityContext ?? {};
    expect([runAsUser, runAsGroup]).toEqual([Number(user?.[1]), Number(user?.[2])]);
  });

  it('the dev overlay runs one procurement pod on one database instance; prod spreads its pods over zones', () => {
    const base = rendered('base');
    const dev = rendered('overlays/dev');
    const requests = (objects: Manifest[]) => workload(objects, 'procurement').template.spec?.containers[0]?.resources?.requests ?? {};
    expect(workload(dev, 'procurement').replicas).toBe(1);
    expect(quantity(requests(dev).memory)).toBeLessThan(quantity(requests(base).memory));
    const pdb = find(dev, 'PodDisruptionBudget', 'procurement').spec;
    expect([pdb.minAvailable, pdb.maxUnavailable]).toEqual([undefined, 1]);
    expect(find(dev, 'Cluster', 'procurement-db').spec.instances).toBe(1);
    const prod = workload(rendered('overlays/prod'), 'procurement');
    expect(prod.replicas).toBeGreaterThanOrEqual(2);
    expect(prod.template.spec?.topologySpreadConstraints?.map((t) => t.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });

  it("the NATS config knows procurement's user, and every password it reads comes from the Secret nats-users", () => {
    const objects = rendered('base');
    const conf = find(objects, 'ConfigMap', 'nats-config').data['nats.conf'] ?? '';
    const users = [...conf.matchAll(/^\s*user:\s*(\w+)\s*$/gm)].map((m) => m[1]);
    expect(users).toEqual(['platform', 'sector_finance']);
    expect(find(objects, 'ConfigMap', 'procurement-config').data.NATS_USER).toBe('sector_finance');
    // Every connection logs in: no anonymous user inherits anyone's rights, and the services send the platform's.
    expect(conf).not.toMatch(/no_auth_user/);
    for (const service of SERVICES.map((s) => s.name)) {
      expect(find(objects, 'ConfigMap', `${service}-config`).data.NATS_USER, service).toBe('platform');
      const env = workload(objects, service).template.spec?.containers[0]?.env ?? [];
      expect(env.find((e) => e.name === 'NATS_PASSWORD')?.valueFrom?.secretKeyRef, service).toEqual({ name: 'nats-users', key: 'platform-password' });
    }
    const variables = [...conf.matchAll(/^\s*password:\s*\$(\w+)\s*$/gm)].map((m) => m[1]);
    expect(variables).toHaveLength(users.length);
    const env = workload(objects, 'nats').template.spec?.containers[0]?.env ?? [];
    for (const variable of variables) {
      expect(env.find((e) => e.name === variable)?.valueFrom?.secretKeyRef?.name, variable).toBe('nats-users');
    }
  });
});
