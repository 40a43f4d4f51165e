// The "Teach it a new shape" section's controls, added when the section first comes into view
// (index.html holds only its heading and introduction), so that the first view's bytes do not
// grow with it.

export const SHAPES_MARKUP = `
<div class="shapes-collect">
  <figure class="shapes-pad">
    <figcaption>Draw one example</figcaption>
    <canvas id="shape-canvas" width="200" height="200"
            aria-label="Drawing area for an example of your shape"></canvas>
    <div class="controls">
      <button id="shape-add" type="button" class="primary" disabled>Add this drawing</button>
      <button id="shape-pad-clear" type="button">Clear the pad</button>
    </div>
  </figure>
  <div id="shape-drop" class="shape-drop">
    <p class="subhead">Or add pictures</p>
    <p class="note">PNG, JPEG or WebP, any size: each is converted like a drawing. Drop them here, or</p>
    <label class="file-button">Choose image files…
      <input id="shape-files" type="file" multiple accept="image/png,image/jpeg,image/webp">
    </label>
    <div class="shape-preview">
      <canvas id="shape-preview" class="pixelated small" width="28" height="28"
              aria-label="The last picture as the model sees it"></canvas>
      <p id="shape-drop-status" class="status" role="status" aria-live="polite"></p>
    </div>
  </div>
</div>
<div class="shapes-collection">
  <label class="shape-name">Name of the shape
    <input id="shape-name" type="text" maxlength="40" placeholder="for example: letter K" autocomplete="off">
  </label>
  <p id="shape-count" class="note" aria-live="polite"></p>
  <p class="note" id="shape-examples-label">Each example, then the model's reconstruction, its
    MSE, and where it ranks among the test digits' scores (the anomaly gauge, 99th percentile
    and above flagged):</p>
  <ul id="shape-examples" class="shape-examples" aria-labelledby="shape-examples-label"></ul>
  <div class="controls">
    <button id="shape-clear" type="button">Remove all</button>
    <button id="shape-export" type="button">Export the collection</button>
    <label class="file-button">Import a collection…
      <input id="shape-import" type="file" accept=".aepgshape">
    </label>
  </div>
  <p id="shape-status" class="status" role="status" aria-live="polite"></p>
</div>
<h3 class="subhead">Teach the model</h3>
<form id="shape-form" class="training-form">
  <label>Start from
    <select name="start">
      <option value="copy" selected>a copy of the drawing model</option>
      <option value="fresh">a fresh, untrained model</option>
    </select>
  </label>
  <label>Digits in each batch <output id="shape-digit-share-value">50 %</output>
    <input name="digitShare" type="range" min="0" max="90" step="10" value="50">
  </label>
  <label>Steps of 64 images
    <select name="steps">
      <option value="100">100 (a few seconds)</option>
      <option value="600">600</option>
      <option value="1500" selected>1,500 (about half a minute)</option>
    </select>
  </label>
</form>
<p class="note">More digits in each batch keep the digits as the model rebuilt them; fewer teach
the new shape better. Measured on twenty drawn A's, K's and E's: with half digits the digits
stay as they were and new drawings of the letter rebuild almost as well as a typical digit;
with a fifth, as well or better, and the digits' error rises by about a tenth.</p>
<div class="controls">
  <button id="shape-train" type="button" class="primary" disabled>Teach it</button>
  <button id="shape-pause" type="button" disabled>Pause</button>
  <button id="shape-stop" type="button" disabled>Stop</button>
</div>
<div class="train-progress">
  <progress id="shape-progress" value="0" max="1" aria-label="Teaching progress"></progress>
  <p id="shape-progress-text" class="metric"></p>
</div>
<p id="shape-train-status" class="status" role="status" aria-live="polite"></p>
<p id="shape-results" class="metric"></p>
<div class="controls">
  <button id="shape-use" type="button" disabled>Draw with this model</button>
  <button id="shape-download" type="button" disabled>Download model file</button>
  <button id="shape-recalibrate" type="button" disabled>Recalibrate the gauge on digits and this shape</button>
</div>
`;
