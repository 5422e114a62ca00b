import protobuf from 'protobufjs/minimal.js';

/**
 * The part of ONNX's protobuf schema (onnx/onnx.proto, IR version 7) the lab writes, encoded with
 * protobufjs's Writer. Field numbers are onnx.proto's; the tests load every file written here in
 * ONNX Runtime.
 */

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxTensor {
  name: string;
  dims: number[];
  /** FLOAT data (stored as raw little-endian bytes) or INT64 data. */
  floats?: Float32Array;
  ints?: number[];
}

export type OnnxAttribute =
  | { name: string; f: number }
  | { name: string; i: number }
  | { name: string; ints: number[] }
  | { name: string; s: string };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  /** A string is a symbolic dimension (the batch). */
  dims: (number | string)[];
  doc?: string;
}

export interface OnnxModelProto {
  irVersion: number;
  opset: number;
  producer: string;
  producerVersion: string;
  doc: string;
  graph: {
    name: string;
    nodes: OnnxNode[];
    initializers: OnnxTensor[];
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
  };
  metadata: Record<string, string>;
}

type Writer = protobuf.Writer;
const VARINT = 0;
const FIXED32 = 5;
const BYTES = 2;
const tag = (w: Writer, field: number, wire: number) => w.uint32((field << 3) | wire);
const str = (w: Writer, field: number, s: string) => tag(w, field, BYTES).string(s);
const int = (w: Writer, field: number, v: number) => tag(w, field, VARINT).int64(v);
const message = (w: Writer, field: number, body: (w: Writer) => void) => {
  tag(w, field, BYTES).fork();
  body(w);
  w.ldelim();
};

// TensorProto: dims 1, data_type 2, int64_data 7, name 8, raw_data 9.
function tensor(w: Writer, t: OnnxTensor) {
  for (const d of t.dims) int(w, 1, d);
  tag(w, 2, VARINT).int32(t.floats ? ONNX_FLOAT : ONNX_INT64);
  str(w, 8, t.name);
  if (t.floats) {
    const bytes = new Uint8Array(t.floats.length * 4);
    const view = new DataView(bytes.buffer);
    t.floats.forEach((v, i) => view.setFloat32(i * 4, v, true));
    tag(w, 9, BYTES).bytes(bytes);
  } else {
    tag(w, 7, BYTES).fork();
    for (const v of t.ints ?? []) w.int64(v);
    w.ldelim();
  }
}

// AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
function attribute(w: Writer, a: OnnxAttribute) {
  str(w, 1, a.name);
  if ('f' in a) {
    tag(w, 2, FIXED32).float(a.f);
    tag(w, 20, VARINT).int32(1);
  } else if ('i' in a) {
    int(w, 3, a.i);
    tag(w, 20, VARINT).int32(2);
  } else if ('s' in a) {
    tag(w, 4, BYTES).bytes(new TextEncoder().encode(a.s));
    tag(w, 20, VARINT).int32(3);
  } else {
    for (const v of a.ints) int(w, 8, v);
    tag(w, 20, VARINT).int32(7);
  }
}

// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
function node(w: Writer, n: OnnxNode) {
  for (const i of n.inputs) str(w, 1, i);
  for (const o of n.outputs) str(w, 2, o);
  str(w, 3, n.name);
  str(w, 4, n.op);
  for (const a of n.attributes ?? []) message(w, 5, (w) => attribute(w, a));
}

// ValueInfoProto: name 1, type 2 (TypeProto: tensor_type 1 → elem_type 1, shape 2 →
// TensorShapeProto: dim 1 → dim_value 1 | dim_param 2), doc_string 3.
function valueInfo(w: Writer, v: OnnxValueInfo) {
  str(w, 1, v.name);
  message(w, 2, (w) =>
    message(w, 1, (w) => {
      tag(w, 1, VARINT).int32(ONNX_FLOAT);
      message(w, 2, (w) => {
        for (const d of v.dims) message(w, 1, (w) => (typeof d === 'string' ? str(w, 2, d) : int(w, 1, d)));
      });
    }),
  );
  if (v.doc) str(w, 3, v.doc);
}

// GraphProto: node 1, name 2, initializer 5, input 11, output 12.
function graph(w: Writer, g: OnnxModelProto['graph']) {
  for (const n of g.nodes) message(w, 1, (w) => node(w, n));
  str(w, 2, g.name);
  for (const t of g.initializers) message(w, 5, (w) => tensor(w, t));
  for (const i of g.inputs) message(w, 11, (w) => valueInfo(w, i));
  for (const o of g.outputs) message(w, 12, (w) => valueInfo(w, o));
}

/** ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
 * opset_import 8 (OperatorSetIdProto: domain 1, version 2), metadata_props 14 (key 1, value 2). */
export function encodeOnnxModel(m: OnnxModelProto): Uint8Array {
  const w = protobuf.Writer.create();
  int(w, 1, m.irVersion);
  str(w, 2, m.producer);
  str(w, 3, m.producerVersion);
  str(w, 6, m.doc);
  message(w, 7, (w) => graph(w, m.graph));
  message(w, 8, (w) => {
    str(w, 1, '');
    int(w, 2, m.opset);
  });
  for (const [k, v] of Object.entries(m.metadata))
    message(w, 14, (w) => {
      str(w, 1, k);
      str(w, 2, v);
    });
  return w.finish();
}
