// Reference output of face-api.js (@vladmandic/face-api@1.7.15, its own FaceRecognitionNet on the
// TF.js CPU backend) for a fixed 150x150x3 input, used by test_pretrained.py.
// Run: npm pack @vladmandic/face-api@1.7.15 && tar xzf vladmandic-face-api-1.7.15.tgz -C /tmp/faceapi
//      node make_faceapi_reference.mjs   (prints the 128 numbers kept as "descriptor" in faceapi_reference.json)
globalThis.window = globalThis; globalThis.document = { createElement: () => ({}) };
const faceapi = await import('/tmp/faceapi/package/dist/face-api.esm.js');
import fs from 'fs';
const tf = faceapi.tf;
await tf.setBackend('cpu'); await tf.ready();
const dir = '/tmp/faceapi/package/model/';
const manifest = JSON.parse(fs.readFileSync(dir + 'face_recognition_model-weights_manifest.json'));
const specs = [], bufs = [];
for (const g of manifest) { specs.push(...g.weights); for (const p of g.paths) bufs.push(fs.readFileSync(dir + p)); }
const all = Buffer.concat(bufs);
const wm = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.length), specs);
const net = new faceapi.FaceRecognitionNet();
net.loadFromWeightMap(wm);
const S = 150, data = new Float32Array(S * S * 3);
for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) for (let c = 0; c < 3; c++)
  data[(i * S + j) * 3 + c] = (i * 7 + j * 13 + c * 50 + ((i * j) % 17)) % 256;
const x = tf.tensor4d(data, [1, S, S, 3]);
const out = net.forwardInput(await faceapi.toNetInput(x));
console.log(JSON.stringify(Array.from(await out.data())));
