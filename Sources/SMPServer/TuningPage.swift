/// The live tuning page: one self-contained HTML file (no network, no CDN). It keeps the
/// controls a designer has touched and posts them as `--set` key paths; each change aborts the
/// page's previous fetch, and the server stops the stale render (`RenderGeneration`).
enum TuningPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>smp · live preview</title>
<style>
  body { font: 14px/1.35 "DejaVu Sans", sans-serif; margin: 0; color: #222; background: #f3f3f1; }
  header { padding: 8px 16px; background: #2d2d2b; color: #eee; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  main { display: flex; flex-wrap: wrap; gap: 16px; padding: 12px 16px; align-items: flex-start; }
  #controls { flex: 0 0 340px; }
  #picture { flex: 0 1 640px; min-width: 256px; }
  #tables { flex: 1 1 440px; }
  fieldset { border: 1px solid #ccc; margin: 0 0 8px; padding: 6px 8px; }
  legend { font-weight: bold; }
  label { display: grid; grid-template-columns: 110px 1fr 64px; gap: 6px; align-items: center; margin: 3px 0; }
  label output { text-align: right; font-variant-numeric: tabular-nums; }
  input[type=range], select, input[type=number] { width: 100%; box-sizing: border-box; }
  #preview { width: 100%; aspect-ratio: 1; background: #ddd; display: block; }
  #status { min-height: 1.4em; font-size: 12px; color: #555; }
  #error { color: #a00; white-space: pre-wrap; font-size: 12px; }
  table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; margin-bottom: 12px; }
  th, td { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  button { font: inherit; padding: 4px 12px; }
  .note { font-size: 12px; color: #555; }
</style>
</head>
<body>
<header><h1>smp live preview</h1><span class="note">simulation · settings are the scene's keys, checked as in the file</span></header>
<main>
<form id="controls" onsubmit="return false">
  <fieldset><legend>Scene</legend>
    <label>file <select id="scene"></select><span></span></label>
    <label>view <select id="view"></select><span></span></label>
    <label>seed <input id="seed" type="number" min="0" step="1"><span></span></label>
  </fieldset>
  <fieldset><legend>Design</legend>
    <label>density /cm² <input id="density" type="range" min="20" max="200" step="5"><output id="densityValue"></output></label>
    <label>sessions <input id="sessionCount" type="range" min="1" max="6" step="1"><output id="sessionCountValue"></output></label>
    <div id="factors"></div>
  </fieldset>
  <fieldset><legend>Needle and ink</legend>
    <label>needle mm <input id="needle" type="range" min="0.15" max="0.45" step="0.01"><output id="needleValue"></output></label>
    <label>configuration <select id="configuration"></select><span></span></label>
    <label>dilution <input id="dilution" type="range" min="0" max="0.9" step="0.05"><output id="dilutionValue"></output></label>
    <label>ink shade <input id="ink" type="color"><output id="inkValue"></output></label>
  </fieldset>
  <fieldset><legend>Patient</legend>
    <label>skin type <select id="fitzpatrick"></select><span></span></label>
    <label>hair loss <select id="pattern"></select><span></span></label>
    <label>hairline <select id="hairlineStyle"></select><span></span></label>
    <label>hairline mm <input id="hairlineHeight" type="range" min="50" max="100" step="1"><output id="hairlineHeightValue"></output></label>
  </fieldset>
  <fieldset><legend>Time</legend>
    <label>after last <input id="time" type="range" min="0" max="11" step="1"><output id="timeValue"></output></label>
  </fieldset>
  <button id="save" type="button">Save scene</button>
  <button id="reset" type="button">Reset</button>
</form>
<section id="picture">
  <img id="preview" alt="preview">
  <div id="status"></div>
  <div id="error"></div>
</section>
<section id="tables">
  <h3>Plan</h3>
  <div id="design" class="note"></div>
  <table id="plan"></table>
  <h3>Density per region after the last session</h3>
  <table id="regions"></table>
</section>
</main>
<script>
"use strict";
const $ = id => document.getElementById(id);
const timeStops = [0, 1, 3, 7, 14, 30, 90, 182, 365, 730, 1826, 3652];
const timeLabel = d => d === 0 ? "day 0" : d < 365 ? d + " d" : (d / 365.25).toFixed(0) + " y";
let base = null;          // the scene's own values (/api/state)
let touched = new Set();  // the controls the designer changed: only these become overrides
let factors = [];
let previewController = null, planController = null, generation = 0;

function options(select, values, blank) {
  select.innerHTML = "";
  if (blank) select.append(new Option(blank, ""));
  for (const v of values) select.append(new Option(v, v));
}

function sessionList() {
  const count = Number($("sessionCount").value);
  const list = [];
  for (let i = 0; i < count; i++) {
    const own = base.sessions[i] || base.sessions[base.sessions.length - 1];
    const day = base.sessions[i] ? own.day : (list.length ? list[list.length - 1].day + 14 : 0);
    list.push({ day, densityFactor: factors[i], needleDiameterMM: touched.has("needle") ? Number($("needle").value) : own.needleDiameterMM,
                needleConfiguration: touched.has("configuration") ? $("configuration").value : own.needleConfiguration,
                dilution: touched.has("dilution") ? Number($("dilution").value) : own.dilution,
                ink: touched.has("ink") ? $("ink").value : own.ink });
  }
  return list;
}

function overrides() {
  const set = [];
  if (touched.has("seed")) set.push("seed=" + $("seed").value);
  if (touched.has("density")) set.push("design.dotsPerCM2=" + $("density").value);
  if (touched.has("fitzpatrick") && $("fitzpatrick").value) set.push("skin.fitzpatrick=" + $("fitzpatrick").value);
  if (touched.has("pattern") && $("pattern").value) set.push("hairLoss.pattern=" + $("pattern").value);
  if (touched.has("hairlineStyle")) set.push("hairline.style=" + $("hairlineStyle").value);
  if (touched.has("hairlineHeight")) set.push("hairline.heightAboveBrowMM=" + $("hairlineHeight").value);
  if (touched.has("time")) set.push("render.after=" + timeStops[Number($("time").value)] + "d");
  const list = sessionList();
  if (touched.has("sessionCount")) {
    set.push("sessions=[" + list.map(s => `{day: ${s.day}, densityFactor: ${s.densityFactor}, needle: {diameterMM: ${s.needleDiameterMM}, ` +
      `configuration: ${s.needleConfiguration}}, dilution: ${s.dilution}, ink: "${s.ink}"}`).join(", ") + "]");
  } else {
    list.forEach((s, i) => {
      if (touched.has("factor" + i)) set.push(`sessions[${i}].densityFactor=${s.densityFactor}`);
      if (touched.has("needle")) set.push(`sessions[${i}].needle.diameterMM=${s.needleDiameterMM}`);
      if (touched.has("configuration")) set.push(`sessions[${i}].needle.configuration=${s.needleConfiguration}`);
      if (touched.has("dilution")) set.push(`sessions[${i}].dilution=${s.dilution}`);
      if (touched.has("ink")) set.push(`sessions[${i}].ink="${s.ink}"`);
    });
  }
  return set;
}

function pagePixels() {
  const side = Math.round($("preview").getBoundingClientRect().width) || 640;
  return Math.max(64, Math.min(1200, side));
}

function settings(withView) {
  const s = { scene: $("scene").value, set: overrides() };
  if (withView) { s.view = $("view").value; s.pixels = pagePixels(); }
  return s;
}

async function post(path, body, signal) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
  if (!response.ok) throw Object.assign(new Error(await response.text()), { status: response.status });
  return response;
}

function showLabels() {
  $("densityValue").textContent = $("density").value;
  $("sessionCountValue").textContent = $("sessionCount").value;
  $("needleValue").textContent = Number($("needle").value).toFixed(2);
  $("dilutionValue").textContent = Number($("dilution").value).toFixed(2);
  $("inkValue").textContent = $("ink").value;
  $("hairlineHeightValue").textContent = $("hairlineHeight").value;
  // Until the slider is moved, the scene's own moment (its render.after), which may lie between stops.
  $("timeValue").textContent = timeLabel(touched.has("time") ? timeStops[Number($("time").value)] : Math.round(base.daysAfterLastSession));
}

function buildFactors() {
  const count = Number($("sessionCount").value);
  while (factors.length < count) factors.push(1);
  factors.length = count;
  const box = $("factors");
  box.innerHTML = "";
  factors.forEach((f, i) => {
    const label = document.createElement("label");
    label.innerHTML = `session ${i + 1} × <input id="factor${i}" type="range" min="0.05" max="1" step="0.05"><output></output>`;
    const input = label.querySelector("input"), out = label.querySelector("output");
    input.value = f; out.textContent = Number(f).toFixed(2);
    input.addEventListener("input", () => { factors[i] = Number(input.value); out.textContent = factors[i].toFixed(2); touched.add("factor" + i); refresh(); });
    box.append(label);
  });
}

function fill(state) {
  base = state;
  $("seed").value = state.seed;
  $("density").value = state.dotsPerCM2;
  $("sessionCount").value = state.sessions.length;
  factors = state.sessions.map(s => s.densityFactor);
  const last = state.sessions[state.sessions.length - 1];
  $("needle").value = last.needleDiameterMM;
  $("configuration").value = last.needleConfiguration;
  $("dilution").value = last.dilution;
  $("ink").value = last.ink;
  $("fitzpatrick").value = state.fitzpatrick || "";
  $("pattern").value = state.hairLossPattern || "";
  $("hairlineStyle").value = state.hairlineStyle;
  $("hairlineHeight").value = state.hairlineHeightMM;
  let stop = 0;
  timeStops.forEach((d, i) => { if (d <= state.daysAfterLastSession + 0.5) stop = i; });
  $("time").value = stop;
  buildFactors();
  showLabels();
}

async function loadScene() {
  touched = new Set();
  $("error").textContent = "";
  const state = await (await post("/api/state", { scene: $("scene").value })).json();
  fill(state);
  refresh();
}

async function refresh() {
  showLabels();
  const mine = ++generation;
  if (previewController) previewController.abort();
  if (planController) planController.abort();
  previewController = new AbortController();
  planController = new AbortController();
  const body = settings(true);
  $("status").textContent = "rendering…";
  const started = performance.now();
  try {
    const response = await post("/api/preview", body, previewController.signal);
    const blob = await response.blob();
    if (mine !== generation) return;
    const old = $("preview").src;
    $("preview").src = URL.createObjectURL(blob);
    $("preview").dataset.generation = mine;
    if (old.startsWith("blob:")) URL.revokeObjectURL(old);
    $("error").textContent = "";
    $("status").textContent = `rendered in ${Math.round(performance.now() - started)} ms · ${body.pixels} px · ${body.set.length} override(s)`;
  } catch (e) {
    if (e.name === "AbortError" || e.status === 409) return;
    if (mine === generation) { $("error").textContent = e.message; $("status").textContent = "refused"; }
    return;
  }
  try {
    const plan = await (await post("/api/plan", settings(false), planController.signal)).json();
    if (mine === generation) showPlan(plan, mine);
  } catch (e) {
    if (e.name !== "AbortError" && mine === generation) $("error").textContent = e.message;
  }
}

function showPlan(plan, mine) {
  const regions = plan.regions.map(r => r.region);
  $("design").textContent = `design ${plan.designDotsPerCM2} dots/cm² · ${plan.sessions.length} session(s)`;
  let html = "<tr><th>session</th><th>day</th><th>needle</th><th>dilution</th><th>ink</th><th>new dots</th><th>total</th>" +
    regions.map(r => `<th>${r} /cm²</th>`).join("") + "</tr>";
  for (const s of plan.sessions) {
    html += `<tr><td>${s.session}</td><td>${s.day}</td><td>${s.needleDiameterMM.toFixed(2)} ${s.needleConfiguration}</td>` +
      `<td>${s.dilution.toFixed(2)}</td><td>${s.ink}</td><td>${s.newDots}</td><td>${s.cumulativeDots}</td>` +
      regions.map(r => `<td>${(s.dotsPerCM2[r] ?? 0).toFixed(1)}</td>`).join("") + "</tr>";
  }
  $("plan").innerHTML = html;
  $("plan").dataset.generation = mine;
  let table = "<tr><th>region</th><th>area cm²</th><th>target /cm²</th><th>achieved /cm²</th></tr>";
  for (const r of plan.regions) {
    const last = r.sessions[r.sessions.length - 1];
    table += `<tr><td>${r.region}</td><td>${r.areaCM2.toFixed(1)}</td><td class="target">${last.targetDotsPerCM2.toFixed(1)}</td>` +
      `<td>${last.achievedDotsPerCM2.toFixed(1)}</td></tr>`;
  }
  $("regions").innerHTML = table;
  $("regions").dataset.generation = mine;
}

async function save() {
  try {
    const response = await post("/api/save", settings(false));
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = $("scene").value.replace(/\.ya?ml$/, "") + "-tuned.yaml";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    $("status").textContent = "saved " + link.download;
  } catch (e) {
    $("error").textContent = e.message;
  }
}

async function start() {
  const choices = await (await fetch("/api/choices")).json();
  options($("scene"), choices.scenes);
  $("scene").value = choices.default[0];
  options($("view"), choices.views);
  options($("configuration"), choices.needleConfigurations);
  options($("fitzpatrick"), choices.fitzpatrick, "(scene's own)");
  options($("pattern"), choices.hairLossPatterns, "(scene's own)");
  options($("hairlineStyle"), choices.hairlineStyles);
  for (const id of ["seed", "density", "sessionCount", "needle", "configuration", "dilution", "ink", "fitzpatrick", "pattern",
                    "hairlineStyle", "hairlineHeight", "time"]) {
    // A select reports a choice as `change` (not every browser sends `input` for it); a
    // slider as `input` while it moves.
    $(id).addEventListener($(id).tagName === "SELECT" ? "change" : "input", () => {
      touched.add(id);
      if (id === "sessionCount") buildFactors();
      refresh();
    });
  }
  $("view").addEventListener("change", refresh);
  $("scene").addEventListener("change", loadScene);
  $("save").addEventListener("click", save);
  $("reset").addEventListener("click", loadScene);
  await loadScene();
}
start().catch(e => { $("error").textContent = String(e); });
</script>
</body>
</html>
"""#
}
