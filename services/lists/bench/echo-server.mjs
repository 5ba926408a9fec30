// The raw limit for CheckCreditStream: a gRPC bidirectional stream that answers every message with itself, no work,
// in a process of its own (as the lists service is). Prints its port on stdout.
import * as grpc from '@grpc/grpc-js';

const same = (b) => b;
const server = new grpc.Server();
server.addService(
  { echo: { path: '/bench.Echo/Echo', requestStream: true, responseStream: true, requestSerialize: same, requestDeserialize: same, responseSerialize: same, responseDeserialize: same } },
  {
    echo: (call) => {
      call.on('data', (msg) => call.write(msg));
      call.on('end', () => call.end());
    },
  },
);
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  console.log(port);
});
process.on('SIGTERM', () => server.forceShutdown());
