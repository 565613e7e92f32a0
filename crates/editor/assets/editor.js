// The sladd zone editor. Talks only to the JSON API of docs/zones-api.md.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

const state = {
  site: null,
  camera: null, // {id, width, height, picture}
  zones: [], // local zones: API fields plus `uid`
  serverIndex: new Map(), // uid -> position in the editor's copy of the file
  selected: null, // uid of the selected zone
  vertex: null, // {uid, part: "outline"|"object", ring, index}
  mode: "select", // "select" | "zone" | "object"
  draft: [],
  hover: null,
  problems: [], // [{uid, field, message}] from the last refused edit
  cameraProblems: [],
  decision: null,
  version: 0,
  syncedVersion: 0,
  dirty: false,
  undo: [],
  redo: [],
  at: null, // "YYYY-MM-DDTHH:MM", an RFC 3339 instant, or "unknown"
  t: 0,
  previewCount: 0,
};

let nextUid = 1;
let syncTimer = null;
let syncing = null;
let syncAgain = false;
let drag = null;
let previewStarted = 0;
window.sladdTimings = { load: null, previews: [] };

// ---- API -----------------------------------------------------------------

function url(path, params = {}) {
  const u = new URL(path, location.origin);
  u.searchParams.set("token", TOKEN);
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined) u.searchParams.set(k, v);
  }
  return u.toString();
}

async function call(method, path, params, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url(path, params), init);
  let json = null;
  try {
    json = await response.json();
  } catch (_) {
    json = null;
  }
  return { status: response.status, ok: response.ok, json };
}

const cameraPath = (suffix) => `/api/cameras/${encodeURIComponent(state.camera.id)}/${suffix}`;

// ---- zones ---------------------------------------------------------------

function rings(zone) {
  if (zone.polygon) return [zone.polygon];
  return zone.polygons || [];
}

function ringOf(zone, part, ring) {
  return part === "object" ? zone.objects[ring] : rings(zone)[ring];
}

function withUid(zone) {
  return { ...zone, uid: nextUid++, objects: zone.objects || [] };
}

function forServer(zone) {
  const out = {
    name: zone.name,
    area: zone.area,
    objects: zone.objects,
    staff_present: zone.staff_present ?? null,
    style: zone.style ?? null,
    source: state.serverIndex.has(zone.uid) ? state.serverIndex.get(zone.uid) : null,
  };
  if (zone.polygon) out.polygon = zone.polygon;
  else out.polygons = zone.polygons || [];
  return out;
}

function zoneByUid(uid) {
  return state.zones.find((z) => z.uid === uid) || null;
}

function snapshot() {
  return JSON.stringify({ zones: state.zones, selected: state.selected });
}

function remember() {
  state.undo.push(snapshot());
  if (state.undo.length > 200) state.undo.shift();
  state.redo = [];
}

function restore(text) {
  const s = JSON.parse(text);
  state.zones = s.zones;
  state.selected = s.selected;
  state.vertex = null;
}

function undo() {
  if (!state.undo.length) return;
  state.redo.push(snapshot());
  restore(state.undo.pop());
  changed(true);
}

function redo() {
  if (!state.redo.length) return;
  state.undo.push(snapshot());
  restore(state.redo.pop());
  changed(true);
}

function uniqueName(base) {
  const names = new Set(state.zones.map((z) => z.name));
  for (let i = state.zones.length + 1; ; i++) {
    const name = `${base} ${i}`;
    if (!names.has(name)) return name;
  }
}

// Something local changed: draw it, send it soon.
function changed(structure = false) {
  state.version++;
  render(structure);
  clearTimeout(syncTimer);
  syncTimer = setTimeout(sync, 180);
  updateStatus();
}

async function sync() {
  if (syncing) {
    syncAgain = true;
    return syncing;
  }
  const version = state.version;
  const sent = state.zones.map((z) => z.uid);
  const body = { zones: state.zones.map(forServer) };
  syncing = (async () => {
    const r = await call("PUT", cameraPath("zones"), {}, body);
    if (r.ok) {
      state.serverIndex = new Map(sent.map((uid, i) => [uid, i]));
      state.problems = [];
      state.cameraProblems = [];
      state.dirty = r.json.dirty;
      state.syncedVersion = version;
      if (state.version === version) {
        // Adopt what was written (outlines rounded to four decimals).
        state.zones = r.json.zones.map((z, i) => ({ ...z, uid: sent[i] }));
      }
      refreshDecision();
      refreshPreview();
    } else if (r.status === 422 && r.json) {
      state.problems = [];
      state.cameraProblems = [];
      for (const p of r.json.errors || []) {
        if (p.zone !== null && p.zone !== undefined && sent[p.zone] !== undefined) {
          state.problems.push({ uid: sent[p.zone], field: p.field, message: p.message });
        } else {
          state.cameraProblems.push(p.field ? `${p.field}: ${p.message}` : p.message);
        }
      }
      state.syncedVersion = version;
    } else {
      showBanner(`The editor could not apply the change: ${r.json ? r.json.error : r.status}`, false, true);
    }
    render(false);
    updateStatus();
  })();
  try {
    await syncing;
  } finally {
    syncing = null;
  }
  if (syncAgain || state.version !== version) {
    syncAgain = false;
    if (state.version !== state.syncedVersion) return sync();
  }
}

// ---- loading -------------------------------------------------------------

async function loadSite(json) {
  state.site = json;
  $("site-name").textContent = json.site.name;
  $("file").textContent = json.file;
  $("file").title = `${json.file} (${json.format.toUpperCase()})`;
  $("tz").textContent = json.site.timezone;
  const select = $("camera");
  select.replaceChildren(
    ...json.cameras.map((c) => {
      const o = document.createElement("option");
      o.value = c.id;
      o.textContent = c.id;
      return o;
    })
  );
  const id = state.camera ? state.camera.id : json.camera;
  await showCamera(json.cameras.find((c) => c.id === id) || json.cameras[0]);
  state.dirty = json.dirty;
  updateStatus();
}

async function showCamera(camera) {
  state.camera = camera;
  $("camera").value = camera.id;
  state.zones = camera.zones.map(withUid);
  state.serverIndex = new Map(state.zones.map((z, i) => [z.uid, i]));
  state.selected = null;
  state.vertex = null;
  state.undo = [];
  state.redo = [];
  state.problems = [];
  state.cameraProblems = [];
  state.version++;
  state.syncedVersion = state.version;
  for (const svg of [$("stage"), $("preview-lines")]) {
    svg.setAttribute("viewBox", `0 0 ${camera.width} ${camera.height}`);
  }
  const picture = camera.picture;
  const video = picture.kind === "video";
  $("video-time").hidden = !video;
  $("frame-time").hidden = !(video && picture.start);
  if (video) {
    const slider = $("time");
    slider.max = String(Math.max(0, picture.duration || 0));
    slider.step = String(picture.frame_rate ? 1 / picture.frame_rate : 0.04);
    slider.value = String(Math.min(state.t, Number(slider.max)));
    state.t = Number(slider.value);
  } else {
    state.t = 0;
  }
  updateTimeLabel();
  render(true);
  await Promise.all([loadPicture(), refreshDecision(), refreshFindings()]);
  refreshPreview();
}

function loadPicture() {
  return new Promise((resolve) => {
    const img = $("picture");
    img.onload = () => resolve();
    img.onerror = () => {
      showBanner("The picture could not be loaded.", false, true);
      resolve();
    };
    img.src = url(cameraPath("frame.png"), { t: state.t });
  });
}

// ---- the instant ---------------------------------------------------------

function atParam() {
  return state.at || "now";
}

function setInputsFrom(rfc3339) {
  if (!rfc3339) return;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(rfc3339);
  if (m) {
    $("date").value = m[1];
    $("clock").value = m[2];
  }
}

function instantFromInputs() {
  const date = $("date").value;
  const clock = $("clock").value;
  if (!date || !clock) return;
  state.at = `${date}T${clock}`;
  setUnknown(false);
  refreshAll();
}

function setUnknown(on) {
  $("unknown").classList.toggle("active", on);
  $("date").disabled = on;
  $("clock").disabled = on;
}

function frameInstant() {
  const start = state.camera.picture.start;
  if (!start) return null;
  return new Date(new Date(start).getTime() + state.t * 1000).toISOString();
}

function refreshAll() {
  refreshDecision();
  refreshFindings();
  refreshPreview();
}

async function refreshDecision() {
  const r = await call("GET", cameraPath("decision"), { at: atParam() });
  if (!r.ok) {
    showBanner(`Cannot decide: ${r.json ? r.json.error : r.status}`, false, true);
    return;
  }
  state.decision = r.json;
  if (r.json.at) setInputsFrom(r.json.at);
  if (state.at === "now" || !state.at) state.at = r.json.at || state.at;
  render(false);
}

async function refreshFindings() {
  const at = state.at === "unknown" ? "unknown" : atParam();
  const r = await call("GET", "/api/check", { at });
  const list = $("findings");
  if (!r.ok) {
    list.replaceChildren(item("empty", `Cannot check: ${r.json ? r.json.error : r.status}`));
    return;
  }
  const id = state.camera.id;
  const findings = r.json.findings.filter((f) => f.camera === id || f.camera === null);
  if (!findings.length) {
    list.replaceChildren(item("empty", "No findings for this camera."));
    return;
  }
  list.replaceChildren(
    ...findings.map((f) => {
      const li = document.createElement("li");
      li.append(
        span(`sev ${f.severity}`, f.severity),
        span("rule", `${f.id}${f.zone ? ` · ${f.zone}` : ""}${f.camera ? "" : " · site-wide"}`),
        span("msg", f.message),
        span("source", f.source)
      );
      return li;
    })
  );
}

function refreshPreview() {
  if (!state.camera) return;
  const img = $("preview");
  state.previewCount++;
  const count = state.previewCount;
  $("preview-wait").hidden = false;
  previewStarted = performance.now();
  img.onload = () => {
    if (count !== state.previewCount) return;
    $("preview-wait").hidden = true;
    const ms = performance.now() - previewStarted;
    window.sladdTimings.previews.push(ms);
    img.dataset.loaded = String(count);
    drawPreviewLines();
  };
  img.onerror = () => {
    if (count === state.previewCount) $("preview-wait").hidden = true;
  };
  const params = { t: state.t, v: count };
  if (state.at !== null) params.at = state.at;
  img.src = url(cameraPath("preview.png"), params);
}

// ---- drawing -------------------------------------------------------------

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function span(cls, text) {
  const s = document.createElement("span");
  s.className = cls;
  s.textContent = text;
  return s;
}

function item(cls, text) {
  const li = document.createElement("li");
  li.className = cls;
  li.textContent = text;
  return li;
}

function px(p) {
  return [p[0] * state.camera.width, p[1] * state.camera.height];
}

function pointsAttr(ring) {
  return ring.map((p) => px(p).join(",")).join(" ");
}

// SVG units per screen pixel.
function unit() {
  const w = $("stage").clientWidth || state.camera.width;
  return state.camera.width / w;
}

// The decision for a local zone: the last one fetched, while it is for as
// many zones as there are now (it is refreshed after every accepted edit).
function decisionOf(index) {
  const d = state.decision;
  return d && d.zones.length === state.zones.length ? d.zones[index] || null : null;
}

function problemsOf(uid) {
  return state.problems.filter((p) => p.uid === uid);
}

function render(structure) {
  if (!state.camera) return;
  renderStage();
  renderCards(structure);
  renderSummary();
  updateToolbar();
}

function renderStage() {
  const svg = $("stage");
  svg.replaceChildren();
  svg.classList.toggle("drawing", state.mode !== "select");
  const u = unit();
  state.zones.forEach((zone, index) => {
    const d = decisionOf(index);
    const invalid = problemsOf(zone.uid).length > 0;
    const cls = ["zone-shape", d ? (d.masked ? "masked" : "shown") : "pending"];
    if (invalid) cls.push("invalid");
    if (zone.uid === state.selected) cls.push("selected");
    rings(zone).forEach((ring, r) => {
      const shape = el("polygon", { points: pointsAttr(ring), class: cls.join(" ") }, svg);
      shape.dataset.kind = "zone";
      shape.dataset.uid = zone.uid;
      shape.dataset.ring = r;
    });
    for (const object of zone.objects) {
      el("polygon", { points: pointsAttr(object), class: "object-shape" }, svg);
    }
  });
  // Labels above the shapes.
  state.zones.forEach((zone, index) => {
    const first = rings(zone)[0];
    if (!first || !first.length) return;
    const anchor = first.reduce((a, b) => (a[0] + a[1] <= b[0] + b[1] ? a : b));
    const [x, y] = px(anchor);
    const d = decisionOf(index);
    const label = el("text", {
      x: x + 6 * u,
      y: y + 18 * u,
      class: "zone-label",
      "font-size": 13 * u,
    }, svg);
    label.textContent = d ? `${zone.name} · ${verdictText(d)}` : zone.name;
  });
  const selected = zoneByUid(state.selected);
  if (selected && state.mode === "select") drawHandles(svg, selected, u);
  if (state.mode !== "select") drawDraft(svg, u);
}

function drawHandles(svg, zone, u) {
  const parts = [
    ...rings(zone).map((ring, r) => ["outline", r, ring]),
    ...zone.objects.map((ring, r) => ["object", r, ring]),
  ];
  for (const [part, r, ring] of parts) {
    ring.forEach((p, i) => {
      const q = ring[(i + 1) % ring.length];
      const [x, y] = px([(p[0] + q[0]) / 2, (p[1] + q[1]) / 2]);
      const mid = el("circle", { cx: x, cy: y, r: 5 * u, class: "midpoint" }, svg);
      Object.assign(mid.dataset, { kind: "mid", uid: zone.uid, part, ring: r, index: i });
    });
  }
  for (const [part, r, ring] of parts) {
    ring.forEach((p, i) => {
      const [x, y] = px(p);
      const v = state.vertex;
      const on = v && v.uid === zone.uid && v.part === part && v.ring === r && v.index === i;
      const cls = `handle${part === "object" ? " object" : ""}${on ? " selected" : ""}`;
      const handle = el("circle", { cx: x, cy: y, r: 7 * u, class: cls }, svg);
      Object.assign(handle.dataset, { kind: "vertex", uid: zone.uid, part, ring: r, index: i });
    });
  }
}

function drawDraft(svg, u) {
  const points = state.draft.slice();
  if (state.hover) points.push(state.hover);
  if (points.length >= 2) {
    el(points.length >= 3 ? "polygon" : "polyline", { points: pointsAttr(points), class: "draft" }, svg);
  }
  state.draft.forEach((p, i) => {
    const [x, y] = px(p);
    el("circle", { cx: x, cy: y, r: (i === 0 ? 7 : 5) * u, class: `draft-point${i === 0 ? " first" : ""}` }, svg);
  });
}

function verdictText(d) {
  const what = { masked: "masked", object_only: "masked except objects", shown: "shown" }[d.outcome] || d.outcome;
  return `${what} (${d.rule})`;
}

function drawPreviewLines() {
  const svg = $("preview-lines");
  svg.replaceChildren();
  const d = state.decision;
  state.zones.forEach((zone, index) => {
    const zd = d && d.zones[index];
    const cls = `preview-line ${zd && zd.masked ? "masked" : "shown"}`;
    for (const ring of rings(zone)) el("polygon", { points: pointsAttr(ring), class: cls }, svg);
    if (zd && zd.outcome === "object_only") {
      for (const o of zone.objects) el("polygon", { points: pointsAttr(o), class: "preview-line objects" }, svg);
    }
  });
}

function renderSummary() {
  const d = state.decision;
  const p = $("decision-summary");
  if (!d) {
    p.textContent = "";
    return;
  }
  p.replaceChildren();
  const when = d.at ? d.at.replace("T", " ").replace(/:00([+-]\d\d:\d\d|Z)$/, " $1") : "an unknown time (protective branch: staff present, time-limited purposes off)";
  p.append("Decided for ", strong(when), ". ");
  const purposes = d.active_purposes.map((x) => x.replace(/_/g, " "));
  p.append(`Active purposes: ${purposes.length ? purposes.join(", ") : "none"}. `);
  if (d.full_frame) {
    const s = span("full", `Whole frame masked (${d.full_frame_rule}): ${d.full_frame_reason} `);
    p.append(s);
  }
  p.append(d.valid_until ? `Holds until ${d.valid_until.replace("T", " ")}.` : "No schedule changes this.");
}

function strong(text) {
  const s = document.createElement("strong");
  s.textContent = text;
  return s;
}

// ---- zone cards ----------------------------------------------------------

function renderCards(structure) {
  const list = $("zones");
  $("zone-count").textContent = `${state.zones.length} on ${state.camera.id}`;
  const camProblems = $("camera-errors");
  camProblems.hidden = !state.cameraProblems.length;
  camProblems.textContent = state.cameraProblems.join("; ");
  if (structure || list.children.length !== state.zones.length) {
    list.replaceChildren(...state.zones.map((zone) => buildCard(zone)));
  }
  state.zones.forEach((zone, index) => fillCard(list.children[index], zone, index));
}

function buildCard(zone) {
  const card = $("zone-card").content.firstElementChild.cloneNode(true);
  card.dataset.uid = zone.uid;
  const get = (cls) => card.querySelector(cls);
  const current = () => zoneByUid(Number(card.dataset.uid));
  card.addEventListener("pointerdown", (e) => {
    if (e.target.closest("button, input, select")) return;
    select(Number(card.dataset.uid));
  });
  get(".zone-name").addEventListener("focus", () => {
    remember();
    select(Number(card.dataset.uid), false);
  });
  get(".zone-name").addEventListener("input", (e) => {
    current().name = e.target.value;
    changed();
  });
  get(".zone-area").addEventListener("change", (e) => {
    remember();
    current().area = e.target.value;
    changed();
  });
  get(".zone-style").addEventListener("change", (e) => {
    remember();
    current().style = e.target.value || null;
    changed();
  });
  get(".zone-staff").addEventListener("change", (e) => {
    remember();
    const z = current();
    if (e.target.value === "schedules") {
      z.staff_present = parseSchedules(get(".zone-schedules").value);
      if (!z.staff_present.length) z.staff_present = ["mon-fri 07:00-16:00"];
    } else {
      z.staff_present = e.target.value || null;
    }
    changed();
  });
  get(".zone-schedules").addEventListener("focus", remember);
  get(".zone-schedules").addEventListener("input", (e) => {
    current().staff_present = parseSchedules(e.target.value);
    changed();
  });
  get(".zone-delete").addEventListener("click", () => {
    remember();
    state.zones = state.zones.filter((z) => z.uid !== Number(card.dataset.uid));
    if (state.selected === Number(card.dataset.uid)) state.selected = null;
    state.vertex = null;
    changed(true);
  });
  get(".object-add").addEventListener("click", (e) => {
    e.currentTarget.blur();
    select(Number(card.dataset.uid));
    startDrawing("object");
  });
  get(".object-delete").addEventListener("click", () => {
    remember();
    current().objects.pop();
    state.vertex = null;
    changed();
  });
  return card;
}

function parseSchedules(text) {
  return text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

function fillCard(card, zone, index) {
  const get = (cls) => card.querySelector(cls);
  const d = decisionOf(index);
  const problems = problemsOf(zone.uid);
  card.className = `zone-card${d ? (d.masked ? " masked" : " shown") : ""}${zone.uid === state.selected ? " selected" : ""}${problems.length ? " has-problems" : ""}`;
  card.dataset.index = index;
  const name = get(".zone-name");
  if (document.activeElement !== name) name.value = zone.name;
  get(".zone-area").value = zone.area;
  const style = get(".zone-style");
  if (zone.style && ![...style.options].some((o) => o.value === zone.style)) {
    const o = document.createElement("option");
    o.value = zone.style;
    o.textContent = zone.style;
    style.appendChild(o);
  }
  style.value = zone.style || "";
  const staff = get(".zone-staff");
  const schedules = Array.isArray(zone.staff_present);
  staff.value = schedules ? "schedules" : zone.staff_present || "";
  const restricted = zone.area === "restricted_circle";
  get(".staff").hidden = !restricted && !zone.staff_present;
  get(".schedules").hidden = !schedules;
  const sched = get(".zone-schedules");
  if (schedules && document.activeElement !== sched) sched.value = zone.staff_present.join(", ");
  get(".objects").hidden = !restricted && !zone.objects.length;
  get(".objects-label").textContent = zone.objects.length
    ? `${zone.objects.length} object${zone.objects.length > 1 ? "s" : ""} kept visible`
    : "No objects kept visible";
  get(".object-delete").disabled = !zone.objects.length;
  const verdict = get(".verdict");
  verdict.className = `verdict${d ? (d.masked ? " masked" : " shown") : ""}`;
  verdict.textContent = d ? verdictText(d) : "…";
  get(".reason").textContent = d ? d.reason : "";
  get(".problems").replaceChildren(
    ...problems.map((p) => item("", p.field ? `${p.field}: ${p.message}` : p.message))
  );
}

// ---- selection and modes -------------------------------------------------

function select(uid, draw = true) {
  if (state.selected !== uid) state.vertex = null;
  state.selected = uid;
  if (draw) render(false);
  else updateToolbar();
}

function startDrawing(mode) {
  state.mode = mode;
  state.draft = [];
  state.hover = null;
  state.vertex = null;
  render(false);
}

function finishDrawing() {
  if (state.draft.length < 3) return;
  remember();
  const ring = state.draft.map((p) => [round6(p[0]), round6(p[1])]);
  if (state.mode === "zone") {
    const zone = withUid({
      name: uniqueName("Zone"),
      area: "restricted_circle",
      polygon: ring,
      objects: [],
      staff_present: null,
      style: null,
      source: null,
    });
    state.zones.push(zone);
    state.selected = zone.uid;
  } else {
    const zone = zoneByUid(state.selected);
    if (zone) zone.objects.push(ring);
  }
  state.mode = "select";
  state.draft = [];
  state.hover = null;
  changed(true);
}

function cancelDrawing() {
  state.mode = "select";
  state.draft = [];
  state.hover = null;
  render(false);
}

function updateToolbar() {
  const zone = zoneByUid(state.selected);
  $("new-object").disabled = !(zone && zone.area === "restricted_circle") || state.mode !== "select";
  $("delete-vertex").disabled = !state.vertex;
  $("new-zone").classList.toggle("active", state.mode === "zone");
  $("new-object").classList.toggle("active", state.mode === "object");
  $("undo").disabled = !state.undo.length;
  const hint = $("hint");
  hint.classList.toggle("drawing", state.mode !== "select");
  if (state.mode !== "select") {
    const what = state.mode === "zone" ? "the new zone" : "the object to keep visible";
    hint.textContent = state.draft.length < 3
      ? `Click the corners of ${what} (${state.draft.length} so far). Esc cancels.`
      : `Click the first corner, double-click or press Enter to finish ${what}. Backspace removes the last corner.`;
  } else if (zone) {
    hint.textContent = "Drag a corner to move it, a + to add one; right-click or Delete removes the selected corner. Drag the zone to move it.";
  } else {
    hint.textContent = "Click a zone to select it, or draw a new one.";
  }
}

function deleteVertex() {
  const v = state.vertex;
  if (!v) return;
  const zone = zoneByUid(v.uid);
  if (!zone) return;
  remember();
  ringOf(zone, v.part, v.ring).splice(v.index, 1);
  state.vertex = null;
  changed();
}

// ---- pointer -------------------------------------------------------------

function toNormalized(event) {
  const svg = $("stage");
  const pt = svg.createSVGPoint();
  pt.x = event.clientX;
  pt.y = event.clientY;
  const p = pt.matrixTransform(svg.getScreenCTM().inverse());
  return [clamp(p.x / state.camera.width), clamp(p.y / state.camera.height)];
}

const clamp = (v) => Math.min(1, Math.max(0, v));
const round6 = (v) => Math.round(v * 1e6) / 1e6;

function onPointerDown(event) {
  if (event.button !== 0) return;
  const target = event.target;
  const p = toNormalized(event);
  if (state.mode !== "select") {
    event.preventDefault();
    if (state.draft.length >= 3) {
      const [fx, fy] = px(state.draft[0]);
      const [x, y] = px(p);
      if (Math.hypot(fx - x, fy - y) <= 10 * unit()) {
        finishDrawing();
        return;
      }
    }
    state.draft.push(p);
    render(false);
    return;
  }
  const data = target.dataset || {};
  const svg = $("stage");
  if (data.kind === "vertex" || data.kind === "mid") {
    event.preventDefault();
    const uid = Number(data.uid);
    const zone = zoneByUid(uid);
    const ref = { uid, part: data.part, ring: Number(data.ring), index: Number(data.index) };
    remember();
    if (data.kind === "mid") {
      ref.index += 1;
      ringOf(zone, ref.part, ref.ring).splice(ref.index, 0, p);
    }
    state.vertex = ref;
    drag = { kind: "vertex", ref, moved: data.kind === "mid" };
    svg.setPointerCapture(event.pointerId);
    render(false);
    return;
  }
  if (data.kind === "zone") {
    event.preventDefault();
    const uid = Number(data.uid);
    select(uid);
    drag = { kind: "zone", uid, start: p, last: p, moved: false, before: snapshot() };
    svg.setPointerCapture(event.pointerId);
    return;
  }
  state.selected = null;
  state.vertex = null;
  render(false);
}

function onPointerMove(event) {
  const p = toNormalized(event);
  const c = px(p);
  $("cursor").textContent = `x ${p[0].toFixed(4)}  y ${p[1].toFixed(4)}  (${Math.round(c[0])}, ${Math.round(c[1])} px)`;
  if (state.mode !== "select") {
    state.hover = p;
    renderStage();
    return;
  }
  if (!drag) return;
  if (drag.kind === "vertex") {
    const zone = zoneByUid(drag.ref.uid);
    const ring = zone && ringOf(zone, drag.ref.part, drag.ref.ring);
    if (!ring) return;
    ring[drag.ref.index] = p;
    drag.moved = true;
    renderStage();
  } else if (drag.kind === "zone") {
    const dx = p[0] - drag.last[0];
    const dy = p[1] - drag.last[1];
    const [sx, sy] = px(drag.start);
    if (!drag.moved && Math.hypot(c[0] - sx, c[1] - sy) < 4 * unit()) return;
    if (!drag.moved) state.undo.push(drag.before);
    drag.moved = true;
    drag.last = p;
    const zone = zoneByUid(drag.uid);
    for (const ring of [...rings(zone), ...zone.objects]) {
      for (const q of ring) {
        q[0] = clamp(q[0] + dx);
        q[1] = clamp(q[1] + dy);
      }
    }
    renderStage();
  }
}

function onPointerUp() {
  if (!drag) return;
  const d = drag;
  drag = null;
  if (d.kind === "vertex") {
    const zone = zoneByUid(d.ref.uid);
    const ring = zone && ringOf(zone, d.ref.part, d.ref.ring);
    if (ring) ring[d.ref.index] = ring[d.ref.index].map(round6);
    if (d.moved) changed();
    else {
      state.undo.pop();
      render(false);
    }
  } else if (d.kind === "zone" && d.moved) {
    changed();
  }
}

function onContextMenu(event) {
  const data = event.target.dataset || {};
  if (data.kind !== "vertex") return;
  event.preventDefault();
  state.vertex = { uid: Number(data.uid), part: data.part, ring: Number(data.ring), index: Number(data.index) };
  deleteVertex();
}

function onKey(event) {
  const typing = event.target.closest && event.target.closest("input, select, textarea");
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === "s") {
    event.preventDefault();
    save();
    return;
  }
  if (typing) return;
  if (mod && event.key.toLowerCase() === "z") {
    event.preventDefault();
    if (event.shiftKey) redo();
    else undo();
    return;
  }
  if (mod && event.key.toLowerCase() === "y") {
    event.preventDefault();
    redo();
    return;
  }
  if (state.mode !== "select") {
    if (event.key === "Enter") finishDrawing();
    else if (event.key === "Escape") cancelDrawing();
    else if (event.key === "Backspace") {
      state.draft.pop();
      render(false);
    } else return;
    event.preventDefault();
    return;
  }
  if ((event.key === "Delete" || event.key === "Backspace") && state.vertex) {
    event.preventDefault();
    deleteVertex();
  } else if (event.key === "Escape") {
    state.selected = null;
    state.vertex = null;
    render(false);
  }
}

// ---- saving --------------------------------------------------------------

function updateStatus() {
  const status = $("status");
  const problems = state.problems.length + state.cameraProblems.length;
  const unsynced = state.version !== state.syncedVersion;
  status.className = "status";
  if (problems) {
    status.textContent = `${problems} problem${problems > 1 ? "s" : ""} to fix before saving`;
    status.classList.add("bad");
  } else if (state.dirty || unsynced) {
    status.textContent = "Unsaved changes";
    status.classList.add("dirty");
  } else if (status.dataset.saved) {
    status.textContent = status.dataset.saved;
    status.classList.add("ok");
  } else {
    status.textContent = "No changes";
  }
  $("save").disabled = problems > 0;
}

async function save() {
  clearTimeout(syncTimer);
  if (state.version !== state.syncedVersion || syncing) await sync();
  if (syncing) await syncing;
  if (state.problems.length || state.cameraProblems.length) {
    updateStatus();
    return;
  }
  const r = await call("POST", "/api/save");
  const status = $("status");
  if (r.ok) {
    state.dirty = r.json.dirty;
    status.dataset.saved = r.json.saved
      ? `Saved · previous version kept as ${basename(r.json.backup)}`
      : "Saved · nothing had changed";
    hideBanner();
  } else if (r.status === 409) {
    showBanner(
      `${state.site.file} was changed on disk by someone else since it was loaded, so it was not overwritten. Reload it to see that version (your unsaved edits here are dropped).`,
      true
    );
  } else {
    showBanner(`Not saved: ${r.json ? r.json.error : r.status}`, false, true);
  }
  updateStatus();
}

async function reload() {
  if ((state.dirty || state.version !== state.syncedVersion) && !confirm("Drop the unsaved edits and read the file from disk again?")) return;
  const r = await call("POST", "/api/reload");
  if (!r.ok) {
    showBanner(`Cannot reload: ${r.json ? r.json.error : r.status}`, false, true);
    return;
  }
  delete $("status").dataset.saved;
  hideBanner();
  await loadSite(r.json);
}

function basename(path) {
  return path ? path.split(/[\\/]/).pop() : "";
}

function showBanner(text, offerReload, bad = false) {
  $("banner").hidden = false;
  $("banner").classList.toggle("bad", bad);
  $("banner-text").textContent = text;
  $("banner-reload").hidden = !offerReload;
}

function hideBanner() {
  $("banner").hidden = true;
}

function updateTimeLabel() {
  const max = Number($("time").max) || 0;
  $("time-label").textContent = `${state.t.toFixed(2)} s / ${max.toFixed(2)} s`;
}

// ---- start ---------------------------------------------------------------

async function start() {
  const stage = $("stage");
  stage.addEventListener("pointerdown", onPointerDown);
  stage.addEventListener("pointermove", onPointerMove);
  stage.addEventListener("pointerup", onPointerUp);
  stage.addEventListener("pointercancel", onPointerUp);
  stage.addEventListener("contextmenu", onContextMenu);
  stage.addEventListener("dblclick", () => {
    if (state.mode !== "select") finishDrawing();
  });
  stage.addEventListener("pointerleave", () => {
    state.hover = null;
    if (state.mode !== "select") renderStage();
  });
  document.addEventListener("keydown", onKey);
  window.addEventListener("resize", () => render(false));
  window.addEventListener("beforeunload", (e) => {
    if (state.dirty || state.version !== state.syncedVersion) e.preventDefault();
  });
  // Buttons give the focus back, so that Enter finishes a drawing rather
  // than pressing the button again.
  $("new-zone").addEventListener("click", (e) => {
    e.currentTarget.blur();
    if (state.mode === "zone") cancelDrawing();
    else startDrawing("zone");
  });
  $("new-object").addEventListener("click", (e) => {
    e.currentTarget.blur();
    startDrawing("object");
  });
  $("delete-vertex").addEventListener("click", deleteVertex);
  $("undo").addEventListener("click", undo);
  $("save").addEventListener("click", save);
  $("reload").addEventListener("click", reload);
  $("banner-reload").addEventListener("click", () => {
    state.dirty = false;
    state.syncedVersion = state.version;
    reload();
  });
  $("banner-close").addEventListener("click", hideBanner);
  $("camera").addEventListener("change", async (e) => {
    if (state.version !== state.syncedVersion) await sync();
    const camera = state.site.cameras.find((c) => c.id === e.target.value);
    const r = await call("GET", "/api/site");
    if (r.ok) state.site = r.json;
    await showCamera((r.ok ? r.json.cameras : state.site.cameras).find((c) => c.id === camera.id));
  });
  $("date").addEventListener("change", instantFromInputs);
  $("clock").addEventListener("change", instantFromInputs);
  $("now").addEventListener("click", () => {
    state.at = "now";
    setUnknown(false);
    refreshAll();
  });
  $("unknown").addEventListener("click", () => {
    const on = state.at !== "unknown";
    state.at = on ? "unknown" : "now";
    setUnknown(on);
    refreshAll();
  });
  $("frame-time").addEventListener("click", () => {
    state.at = frameInstant();
    setUnknown(false);
    refreshAll();
  });
  let slideTimer = null;
  $("time").addEventListener("input", (e) => {
    state.t = Number(e.target.value);
    updateTimeLabel();
    clearTimeout(slideTimer);
    slideTimer = setTimeout(() => {
      loadPicture();
      refreshPreview();
    }, 120);
  });

  const r = await call("GET", "/api/site");
  if (!r.ok) {
    showBanner(`Cannot load the site: ${r.json ? r.json.error : r.status}`, false, true);
    return;
  }
  state.at = r.json.at || "now";
  await loadSite(r.json);
  // Milliseconds from the start of navigation to a page showing the
  // picture, the zones, their decisions and the findings.
  window.sladdTimings.load = performance.now();
  document.body.dataset.ready = "1";
}

start();
