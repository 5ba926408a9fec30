import * as grpc from '@grpc/grpc-js';
import { isDomainError, violationsOf } from '@credit/platform';

/**
 * What an officer is told when a command against a service fails: in Chinese for the failures they can fix
 * themselves (service not reachable, token refused, a file they cannot read), with the service's own message and
 * field violations otherwise. The gRPC status name stays at the end for whoever they call for help.
 */
export function failureMessage(err: unknown, service: { name: string; address: string; flag: string; env: string }): string {
  if (isDomainError(err)) return withViolations(err.message, err);
  const fileProblem = fileProblemOf(err);
  if (fileProblem) return fileProblem;
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e.code !== 'number') return String((err as Error)?.message ?? err);
  const status = grpc.status[e.code] ?? String(e.code);
  switch (e.code) {
    case grpc.status.UNAVAILABLE:
      return `无法连接${service.name} ${service.address}：服务未启动或地址有误，可用 ${service.flag} 或环境变量 ${service.env} 指定 (${status})`;
    case grpc.status.UNAUTHENTICATED:
      return `身份令牌无效或已过期，请用 --token 或环境变量 CREDIT_TOKEN 提供有效令牌：${e.details ?? ''} (${status})`;
    default:
      return withViolations(`${e.details || e.message || '未知错误'} (${status})`, err);
  }
}

/** A file that cannot be opened at all, by the system's error code; undefined for anything else. */
export function fileProblemOf(err: unknown): string | undefined {
  const { code, path } = err as NodeJS.ErrnoException;
  const where = path ? ` ${path}` : '';
  switch (code) {
    case 'ENOENT':
      return `找不到文件${where}`;
    case 'EACCES':
    case 'EPERM':
      return `没有读取文件的权限${where}`;
    case 'EISDIR':
      return `${where.trim() || '该路径'}是目录，不是文件`;
    default:
      return undefined;
  }
}

function withViolations(message: string, err: unknown): string {
  return [message, ...violationsOf(err).map((v) => `  ${v.field}: ${v.message}`)].join('\n');
}
