// Run face-api's WHOLE pipeline (detector, then landmarks) on photos, as a user of face-api would.
//
// Called by `tools/make_face_api_reference.py --pipelines` (see there for the set-up):
//
//   node tools/face_api_pipeline.js <face-api package dir> <node_modules dir> <job dir>
//
// <job dir>/job.json = [{"name": ..., "input": "x.bin", "shape": [h, w, 3]}] (raw uint8 RGB photos);
// writes <job dir>/out.json: per photo, the faces of detectAllFaces with SsdMobilenetv1Options
// (minConfidence 0.5) and their 68 landmarks (withFaceLandmarks), and the faces of
// TinyFaceDetectorOptions (inputSize 416, scoreThreshold 0.5); boxes as (y1, x1, y2, x2) pixels,
// landmarks as (x, y) pixels. Same module set-up as tools/face_api_reference.js (pure-JS cpu backend).
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const [packageDir, nodeModules, jobDir] = process.argv.slice(2);
const tf = require(require.resolve('@tensorflow/tfjs', { paths: [nodeModules] }));
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === '@tensorflow/tfjs') return tf;
  if (request === '@tensorflow/tfjs-backend-wasm') return {};
  return originalLoad.call(this, request, parent, isMain);
};
const faceapi = require(path.join(packageDir, 'dist', 'face-api.node-wasm.js'));

const corners = (box) => [box.y, box.x, box.bottom, box.right];

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const models = path.join(packageDir, 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  const jobs = JSON.parse(fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8'));
  const out = { backend: `tfjs-core ${tf.version_core}, backend ${tf.getBackend()}, node ${process.version}` };
  for (const job of jobs) {
    const bytes = fs.readFileSync(path.join(jobDir, job.input));
    const image = tf.tensor3d(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), job.shape, 'int32');
    const ssd = await faceapi.detectAllFaces(image, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 })).withFaceLandmarks();
    const yolo = await faceapi.detectAllFaces(image, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 }));
    out[job.name] = {
      ssd: ssd.map((f) => ({ score: f.detection.score, box: corners(f.detection.box), landmarks: f.landmarks.positions.map((p) => [p.x, p.y]) })),
      tiny_yolo: yolo.map((f) => ({ score: f.score, box: corners(f.box) })),
    };
    image.dispose();
  }
  fs.writeFileSync(path.join(jobDir, 'out.json'), JSON.stringify(out));
}

main().catch((err) => { console.error(err); process.exit(1); });
