// Run the ORIGINAL face-api networks (TF.js, pure-JavaScript CPU backend) on fixed inputs.
//
// Called by tools/make_face_api_reference.py, which prepares the inputs and
// stores what this prints as test data; see that file for the set-up:
//
//   node tools/face_api_reference.js <face-api package dir> <node_modules dir> <job dir>
//
// <face-api package dir>: the unpacked `npm pack @vladmandic/face-api@1.7.15`
// (its dist/face-api.node-wasm.js bundle and model/ folder are used as shipped).
// <node_modules dir>: where `npm install --ignore-scripts @tensorflow/tfjs@4.22.0` put
// its packages (pure JavaScript: tfjs-core, tfjs-backend-cpu, ...; no native binary,
// no WebAssembly).
// <job dir>: holds job.json = [{"model": ..., "input": "x.bin", "shape": [m, h, w, 3]}]
// (inputs as raw uint8 RGB); for each job this writes <input>.out.json (shapes) and
// <input>.out.<k>.bin (float32 little-endian), and prints the backend and timings.
//
// The face-api bundle `require`s "@tensorflow/tfjs" and "@tensorflow/tfjs-backend-wasm";
// we answer the first with the package installed above and the second with an
// empty module, and select the "cpu" backend: the networks run on the pure-JS CPU
// kernels only.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

const [packageDir, nodeModules, jobDir] = process.argv.slice(2);
const fromModules = (name) => require(require.resolve(name, { paths: [nodeModules] }));

const tf = fromModules('@tensorflow/tfjs'); // tfjs-core with its chained ops, and the "cpu" backend
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === '@tensorflow/tfjs') return tf;
  if (request === '@tensorflow/tfjs-backend-wasm') return {};
  return originalLoad.call(this, request, parent, isMain);
};
const faceapi = require(path.join(packageDir, 'dist', 'face-api.node-wasm.js'));

// What each network returns before any face-api post-processing that is not part
// of the network (boxes are still relative, landmarks relative to the input).
const RUNNERS = {
  tiny_face_detector_model: {
    net: () => faceapi.nets.tinyFaceDetector,
    run: (net, input, size) => [net.forwardInput(input, size)],
  },
  face_recognition_model: {
    net: () => faceapi.nets.faceRecognitionNet,
    run: (net, input) => [net.forwardInput(input)],
  },
  face_landmark_68_model: {
    net: () => faceapi.nets.faceLandmark68Net,
    run: (net, input) => [net.runNet(input)], // (m, 136) = (x0, y0, x1, y1, ...) in [0, 1]
  },
  face_landmark_68_tiny_model: {
    net: () => faceapi.nets.faceLandmark68TinyNet,
    run: (net, input) => [net.runNet(input)],
  },
  face_expression_model: {
    net: () => faceapi.nets.faceExpressionNet,
    run: (net, input) => [net.forwardInput(input)], // softmax over the 7 expressions
  },
  ssd_mobilenetv1_model: {
    net: () => faceapi.nets.ssdMobilenetv1,
    run: (net, input) => {
      const { boxes, scores } = net.forwardInput(input); // lists over the batch
      return [tf.stack(boxes), tf.stack(scores)]; // (m, 5118, 4) (y1, x1, y2, x2), (m, 5118)
    },
  },
};

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const jobs = JSON.parse(fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8'));
  console.log(`tfjs-core ${tf.version_core}, backend ${tf.getBackend()}, node ${process.version}`);
  for (const job of jobs) {
    const runner = RUNNERS[job.model];
    const net = runner.net();
    if (!net.isLoaded) await net.loadFromDisk(path.join(packageDir, 'model'));
    const bytes = fs.readFileSync(path.join(jobDir, job.input));
    const [m, h, w] = job.shape;
    const outputs = [];
    for (let i = 0; i < m; i += 1) { // one image at a time, as face-api runs them
      const image = tf.tensor4d(new Uint8Array(bytes.buffer, bytes.byteOffset + i * h * w * 3, h * w * 3), [1, h, w, 3], 'int32');
      const input = await faceapi.toNetInput(image);
      const repeats = job.timing_repeats || 0;
      const result = runner.run(net, input, h);
      outputs.push(await Promise.all(result.map((t) => t.data())));
      const shapes = result.map((t) => t.shape);
      result.forEach((t) => t.dispose());
      if (repeats) {
        const start = process.hrtime.bigint();
        for (let r = 0; r < repeats; r += 1) runner.run(net, input, h).forEach((t) => { t.dataSync(); t.dispose(); });
        const ms = Number(process.hrtime.bigint() - start) / 1e6 / repeats;
        console.log(`${job.model} ${h}x${w}: ${ms.toFixed(1)} ms per image (${repeats} runs, tfjs cpu backend)`);
      }
      image.dispose();
      job.shapes = shapes;
    }
    const meta = { model: job.model, shapes: job.shapes.map((s) => [m, ...s.slice(1)]) };
    fs.writeFileSync(path.join(jobDir, `${job.input}.out.json`), JSON.stringify(meta));
    meta.shapes.forEach((_, k) => {
      const parts = outputs.map((o) => Buffer.from(o[k].buffer, o[k].byteOffset, o[k].byteLength));
      fs.writeFileSync(path.join(jobDir, `${job.input}.out.${k}.bin`), Buffer.concat(parts));
    });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
