// Transport credentials. With TLS both sides present certificates from the platform CA (mutual TLS): the server
// learns the calling department from the client certificate, the client knows it talks to the platform.
import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  rootCert: Buffer;
  certChain: Buffer;
  privateKey: Buffer;
}

export function serverCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const requireClientCertificate = true;
  return grpc.ServerCredentials.createSsl(
    tls.rootCert,
    [{ cert_chain: tls.certChain, private_key: tls.privateKey }],
    requireClientCertificate,
  );
}

export function channelCredentials(tls: TlsFiles | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.rootCert, tls.privateKey, tls.certChain);
}
