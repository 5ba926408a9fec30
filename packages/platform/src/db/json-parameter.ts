// A JSON value as a statement parameter, in bytes: node-postgres sends a Buffer in binary format, which for json is
// the text itself (type the parameter `$1::json`; jsonb's binary form starts with a version byte, so cast from json).
// Why not the string: a large string parameter sent through TypeORM's query runner outlives the next two scavenges
// and is promoted to the old generation (`--trace-gc-nvp`: the credit check log's ~125 KB batches, 0.77 MB a scavenge
// at 5,000 checks/s, the pauses growing with it; through node-postgres alone it is not). Of a Buffer only a small
// handle is promoted; its bytes stay outside the heap. For batches sent as one JSON document
// (`json_to_recordset($1::json)`).
export function jsonParameter(value: unknown): Buffer {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('jsonParameter: the value has no JSON form');
  return Buffer.from(text, 'utf8');
}
