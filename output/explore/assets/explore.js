"use strict";
// chipsim explorer: the page's controls, charts and table. The model runs
// in the engine (WebAssembly, this page's own copy); Monte Carlo runs in a
// Web Worker on a second copy, so sliders stay live while it draws.
(() => {
  const $ = (id) => document.getElementById(id);
  const say = (s) => { $("status").textContent = s; };
  const sources = JSON.parse($("sources").textContent);
  const timings = (window.chipsimTimings = { runs: [] });

  // engine: the page's copy of the engine, once started.
  const engine = {
    call(fn, ...args) {
      const out = JSON.parse(globalThis.chipsim[fn](...args));
      if (out && out.error) throw new Error(out.error);
      return out;
    },
  };

  // wasmBytes decodes and gunzips the embedded engine.
  async function wasmBytes() {
    const bin = atob($("engine").textContent.trim());
    const gz = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
    const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
    return await new Response(stream).arrayBuffer();
  }

  let state = null; // {scenario, inputs, off, at, changes}
  let desc = null; // the scenario's controls (engine describe)
  const baseRuns = {}; // unmodified run per scenario, for the differences
  const charts = {};

  function fresh(name) {
    return { scenario: name, inputs: {}, off: [], at: {}, changes: {} };
  }

  function fmt(v, unit) {
    if (!isFinite(v)) return v > 0 ? "∞" : String(v);
    if (unit === "ratio" || unit === "share") return v.toFixed(3);
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "G";
    if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(0) + "k";
    if (a >= 100) return v.toFixed(0);
    return +v.toPrecision(3) + "";
  }

  // controls ----------------------------------------------------------

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  }

  let uid = 0;
  // about describes a control: its unit and meaning, its source folded.
  function about(meta, source) {
    const box = el("div", { class: "meta", text: meta });
    if (!source) return box;
    return el("div", {}, box, el("details", {}, el("summary", { text: "source" }), source));
  }

  function slider(label, lo, hi, step, value, show, onchange, meta) {
    const id = "c" + ++uid;
    const out = el("span", { class: "value", text: show(value) });
    const input = el("input", { id, type: "range", min: lo, max: hi, step, value });
    input.addEventListener("input", () => {
      const v = +input.value;
      out.textContent = show(v);
      onchange(v);
    });
    const lab = el("label", { for: id }, out, label);
    return el("div", { class: "control" }, lab, input, meta);
  }

  function choice(label, options, value, onchange, meta) {
    const id = "c" + ++uid;
    const sel = el("select", { id });
    options.forEach((o, i) => sel.append(el("option", { value: i, text: o })));
    sel.value = value;
    sel.addEventListener("change", () => onchange(+sel.value));
    return el("div", { class: "control" }, el("label", { for: id, text: label }), sel, meta);
  }

  function buildControls() {
    const inputs = $("inputs");
    inputs.replaceChildren();
    if (desc.inputs.length === 0) inputs.append(el("p", { class: "hint", text: "This scenario has no uncertain inputs." }));
    for (const q of desc.inputs) {
      const v = q.name in state.inputs ? state.inputs[q.name] : q.median;
      const set = (x) => {
        if (x === q.median) delete state.inputs[q.name];
        else state.inputs[q.name] = x;
        schedule();
      };
      if (q.labels) {
        inputs.append(slider(q.name, q.lo, q.hi, 1, v, (x) => q.labels[x] ?? x, set, about(q.unit)));
      } else {
        const step = (q.hi - q.lo) / 200 || 1;
        inputs.append(slider(q.name, q.lo, q.hi, step, v, (x) => fmt(x, q.unit), set, about(q.unit)));
      }
    }
    $("whatif-from").textContent = "from " + desc.whatIfFrom;
    const whatifs = $("whatifs");
    whatifs.replaceChildren();
    for (const c of desc.controls) {
      const meta = about(`${c.path} (${c.unit}): ${c.meaning}`, c.source);
      const cur = state.changes[c.path];
      if (c.choices) {
        const start = c.start;
        const v = cur !== undefined ? c.choices.indexOf(cur) : start;
        whatifs.append(choice(c.label, c.choices, v, (i) => {
          if (i === start) delete state.changes[c.path];
          else state.changes[c.path] = c.choices[i];
          schedule();
        }, meta));
      } else if (c.kind === "scale") {
        const v = cur !== undefined ? +cur : 1;
        whatifs.append(slider(c.label, c.lo, c.hi, c.step, v, (x) => "×" + x.toFixed(2), (x) => {
          if (x === 1) delete state.changes[c.path];
          else state.changes[c.path] = String(x);
          schedule();
        }, meta));
      } else {
        const v = cur !== undefined ? +cur : c.start;
        whatifs.append(slider(c.label, c.lo, c.hi, c.step, v, (x) => fmt(x, c.unit), (x) => {
          if (x === c.start) delete state.changes[c.path];
          else state.changes[c.path] = String(x);
          schedule();
        }, meta));
      }
    }
    const events = $("events");
    events.replaceChildren();
    for (const ev of desc.events) {
      const id = "e" + ev.index;
      const box = el("input", { type: "checkbox", id });
      box.checked = !state.off.includes(ev.index);
      box.addEventListener("change", () => {
        state.off = state.off.filter((i) => i !== ev.index);
        if (!box.checked) state.off.push(ev.index);
        state.off.sort((a, b) => a - b);
        schedule();
      });
      let when = el("span", { class: "meta", text: ev.at });
      if (ev.movable) {
        when = el("select", { "aria-label": "start of " + ev.name });
        for (const p of desc.periods) when.append(el("option", { value: p, text: p }));
        when.value = state.at[ev.index] || ev.at;
        when.addEventListener("change", () => {
          if (when.value === ev.at) delete state.at[ev.index];
          else state.at[ev.index] = when.value;
          schedule();
        });
      }
      events.append(el("div", { class: "event" }, box, el("label", { for: id }, el("span", { class: "num", text: ev.index + 1 }), ev.name), when,
        el("div", { class: "src", text: ev.source })));
    }
  }

  // runs and drawing --------------------------------------------------

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  }

  function render() {
    const t = performance.now();
    let res;
    try {
      res = engine.call("run", JSON.stringify(state));
    } catch (e) {
      say("Cannot run these settings: " + e.message);
      console.error("chipsim explorer: " + e.message);
      return;
    }
    if (!baseRuns[state.scenario]) baseRuns[state.scenario] = engine.call("run", JSON.stringify(fresh(state.scenario)));
    drawCharts(res);
    drawTable(res, baseRuns[state.scenario]);
    const ms = performance.now() - t;
    timings.runs.push(ms);
    history.replaceState(null, "", "#" + encodeURIComponent(JSON.stringify(state)));
    say(`${state.scenario}: run and drawn in ${ms.toFixed(0)} ms` + (timings.coldStart ? ` (engine started in ${timings.coldStart.toFixed(0)} ms)` : ""));
    document.body.dataset.runs = timings.runs.length;
  }

  const palette = { dom: "#c0392b", imp: "#2e6fb7", grey: "#8c8c8c", wanted: "#1d2733", unmet: "#e08e0b",
    plan: "#7b5ea7", dies: "#c0392b", hbm: "#2e6fb7", packaging: "#e08e0b", demand: "#3a9a5b" };

  function width(node) { return Math.max(280, node.clientWidth - 4); }

  function periodAxis() {
    return {
      values: (u, splits) => splits.map((i) => desc.periods[Math.round(i)] ?? ""),
      space: 60,
    };
  }

  // markers draws the events in effect as dashed lines, numbered as in the
  // list of events (names would not fit where events crowd).
  function markers() {
    return {
      hooks: {
        draw: [(u) => {
          const at = []; // read at each draw: the events in effect now
          for (const ev of desc.events) {
            if (state.off.includes(ev.index)) continue;
            const t = desc.periods.indexOf(state.at[ev.index] || ev.at);
            if (t >= 0) at.push({ t, n: ev.index + 1 });
          }
          const ctx = u.ctx, px = devicePixelRatio;
          ctx.save();
          ctx.strokeStyle = "rgba(29,39,51,0.35)";
          ctx.setLineDash([4 * px, 4 * px]);
          ctx.font = `bold ${10 * px}px system-ui, sans-serif`;
          const rows = [];
          for (const m of at) {
            const x = u.valToPos(m.t, "x", true);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            // the first row whose last label ends left of this one
            const w = ctx.measureText(String(m.n)).width + 6 * px;
            let r = rows.findIndex((end) => end < x - w / 2);
            if (r < 0) { r = rows.length; rows.push(0); }
            rows[r] = x + w / 2;
            const y = u.bbox.top + (2 + 13 * r) * px;
            ctx.fillStyle = "#5b6775";
            ctx.fillRect(x - w / 2, y, w, 12 * px);
            ctx.fillStyle = "#fff";
            ctx.textAlign = "center";
            ctx.textBaseline = "top";
            ctx.fillText(String(m.n), x, y + 1 * px);
          }
          ctx.restore();
        }],
      },
    };
  }

  function stackSeries(parts) {
    // parts: [[label, values, colour]], bottom first; returns cumulative data and series
    const data = [], series = [];
    let acc = null;
    for (const [label, vals, colour] of parts) {
      acc = vals.map((v, i) => (acc ? acc[i] : 0) + v);
      data.push(acc);
      series.push({ label, stroke: colour, fill: colour + "cc", width: 1, value: (u, v, si, di) => (di == null ? "–" : fmt(vals[di])) });
    }
    // drawn top first, so that each area covers the one above it
    return { data: data.reverse(), series: series.reverse() };
  }

  function plot(key, opts, data) {
    const node = $("chart-" + key);
    opts.width = width(node);
    opts.height = node.clientWidth < 500 ? 220 : 260;
    if (charts[key] && charts[key].series.length === opts.series.length && charts[key].width === opts.width) {
      charts[key].setData(data);
      return;
    }
    if (charts[key]) charts[key].destroy();
    node.replaceChildren(); // a hint the chart replaces
    charts[key] = new uPlot(opts, data, node);
  }

  function drawCharts(res) {
    const x = desc.periods.map((_, i) => i);
    const s = res.series;
    plot("ssr", Object.assign({
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [periodAxis(), { values: (u, v) => v.map((y) => y.toFixed(1)) }],
      series: [{ label: "period", value: (u, v) => desc.periods[v] ?? "" },
        { label: "units (ai.ssr_units)", stroke: "#c0392b", width: 2, value: (u, v) => (v == null ? "–" : v.toFixed(3)) },
        { label: "compute (ai.ssr_compute)", stroke: "#2e6fb7", width: 2, value: (u, v) => (v == null ? "–" : v.toFixed(3)) },
        { label: "installed (ai.ssr_stock)", stroke: "#3a9a5b", width: 2, dash: [6, 3], value: (u, v) => (v == null ? "–" : v.toFixed(3)) }],
      plugins: [markers()],
    }), [x, s["ai.ssr_units"], s["ai.ssr_compute"], s["ai.ssr_stock"]]);

    const st = stackSeries([["domestic", s["ai.h100e_domestic"], palette.dom], ["legal imports", s["ai.h100e_import"], palette.imp], ["grey", s["ai.h100e_grey"], palette.grey]]);
    plot("supply", {
      scales: { x: { time: false } },
      axes: [periodAxis(), { values: (u, v) => v.map((y) => fmt(y)), size: 60 }],
      series: [{ label: "period", value: (u, v) => desc.periods[v] ?? "" }, ...st.series,
        { label: "wanted", stroke: palette.wanted, width: 2, value: (u, v) => (v == null ? "–" : fmt(v)) },
        { label: "unmet", stroke: palette.unmet, width: 2, dash: [5, 3], value: (u, v) => (v == null ? "–" : fmt(v)) }],
    }, [x, ...st.data, s["ai.wanted_h100e"], s["ai.unmet_h100e"]]);

    const b = res.binding;
    const bs = stackSeries([["plan", b.plan, palette.plan], ["dies", b.dies, palette.dies], ["HBM", b.hbm, palette.hbm], ["packaging", b.packaging, palette.packaging], ["demand", b.demand, palette.demand]]);
    plot("binding", {
      scales: { x: { time: false } },
      axes: [periodAxis(), { values: (u, v) => v.map((y) => fmt(y)), size: 60 }],
      series: [{ label: "period", value: (u, v) => desc.periods[v] ?? "" }, ...bs.series],
    }, [x, ...bs.data]);
  }

  function drawTable(res, base) {
    const t = $("headline");
    const head = el("tr", {}, el("th", { text: "year", scope: "col" }));
    res.metrics.forEach((m, i) => head.append(el("th", { text: m, scope: "col", title: res.units[i] })));
    const body = el("tbody");
    res.years.forEach((y, k) => {
      const tr = el("tr", {}, el("th", { text: y, scope: "row" }));
      res.metrics.forEach((m, i) => {
        const v = res.headline[i][k], b = base.headline[i][k];
        const td = el("td", { "data-value": String(v), "data-metric": m, "data-year": y, text: fmt(v, res.units[i]) });
        const d = v - b;
        if (Math.abs(d) > 1e-12 * Math.max(1, Math.abs(b))) {
          td.append(" ", el("span", { class: "d " + (d > 0 ? "up" : "down"), text: "(" + (d > 0 ? "+" : "−") + fmt(Math.abs(d), res.units[i]) + ")" }));
        }
        tr.append(td);
      });
      body.append(tr);
    });
    t.replaceChildren(el("thead", {}, head), body);
  }

  // Monte Carlo in a worker -------------------------------------------

  let worker = null, workerReady = false, queuedMC = null;
  function startWorker(wasm) {
    const main = () => {
      onmessage = async (e) => {
        const m = e.data;
        if (m.type === "init") {
          const go = new Go();
          const { instance } = await WebAssembly.instantiate(m.wasm, go.importObject);
          go.run(instance);
          const r = JSON.parse(globalThis.chipsim.init(JSON.stringify(m.sources)));
          postMessage({ type: "ready", error: r.error });
        } else if (m.type === "mc") {
          const t = performance.now();
          const out = JSON.parse(globalThis.chipsim.mc(m.state, m.n, m.seed, (done, total) => postMessage({ type: "progress", done, total })));
          postMessage({ type: "bands", bands: out, ms: performance.now() - t });
        }
      };
    };
    const code = $("wasm-exec").textContent + "\n(" + main.toString() + ")();";
    worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "ready") {
        workerReady = !m.error;
        $("mc-status").textContent = m.error ? "Monte Carlo unavailable: " + m.error : "";
        if (workerReady && queuedMC) {
          $("mc-status").textContent = "drawing…";
          worker.postMessage(queuedMC);
          queuedMC = null;
        }
      } else if (m.type === "progress") {
        $("mc-progress").max = m.total;
        $("mc-progress").value = m.done;
        $("mc-status").textContent = `${m.done} of ${m.total} draws`;
      } else if (m.type === "bands") {
        if (m.bands.error) {
          $("mc-status").textContent = "Monte Carlo: " + m.bands.error;
          return;
        }
        timings.mc = m.ms;
        $("mc-status").textContent = `${m.bands.runs} draws in ${(m.ms / 1000).toFixed(2)} s`;
        drawBands(m.bands);
        document.body.dataset.mc = m.bands.runs;
      }
    };
    worker.postMessage({ type: "init", wasm, sources }, [wasm]);
  }

  function drawBands(b) {
    const v = b.values["ai.ssr_compute"];
    const x = b.years.map((y) => +y);
    plot("mc", {
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [{ values: (u, s) => s.map((y) => (Number.isInteger(y) ? y : "")) }, { values: (u, s) => s.map((y) => y.toFixed(1)) }],
      series: [{ label: "year" },
        { label: "p95", stroke: "#2e6fb733", width: 1 },
        { label: "p75", stroke: "#2e6fb766", width: 1 },
        { label: "median", stroke: "#2e6fb7", width: 2 },
        { label: "p25", stroke: "#2e6fb766", width: 1 },
        { label: "p5", stroke: "#2e6fb733", width: 1 }],
      bands: [{ series: [1, 5], fill: "#2e6fb722" }, { series: [2, 4], fill: "#2e6fb744" }],
    }, [x, v[4], v[3], v[2], v[1], v[0]]);
  }

  // start -------------------------------------------------------------

  function loadScenario(st) {
    state = st;
    desc = engine.call("describe", state.scenario);
    $("scenario").value = state.scenario;
    $("description").textContent = desc.description;
    $("mc-run").disabled = desc.inputs.length === 0;
    buildControls();
    render();
  }

  function fromFragment(names) {
    try {
      const st = JSON.parse(decodeURIComponent(location.hash.slice(1)));
      if (st && names.includes(st.scenario)) return Object.assign(fresh(st.scenario), st);
    } catch (e) { /* no state in the link */ }
    return fresh(names[0]);
  }

  async function start() {
    const t0 = performance.now();
    const wasm = await wasmBytes();
    const go = new Go();
    const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
    go.run(instance); // returns once main waits for calls: globalThis.chipsim is set
    const names = engine.call("init", JSON.stringify(sources));
    const pick = $("scenario");
    for (const n of names) pick.append(el("option", { value: n, text: n }));
    pick.addEventListener("change", () => loadScenario(fresh(pick.value)));
    $("reset").addEventListener("click", () => loadScenario(fresh(state.scenario)));
    $("download").addEventListener("click", () => {
      const csv = engine.call("csv", JSON.stringify(state));
      const a = el("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: state.scenario + ".csv" });
      document.body.append(a);
      a.click();
      a.remove();
    });
    $("copylink").addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(location.href);
        say("Link copied: it opens this view.");
      } catch (e) {
        say("This page's address holds the view: copy it from the address bar.");
      }
    });
    $("mc-run").addEventListener("click", () => {
      $("mc-progress").value = 0;
      const job = { type: "mc", state: JSON.stringify(state), n: Math.max(10, +$("mc-n").value | 0), seed: +$("mc-seed").value | 0 };
      if (!workerReady) {
        queuedMC = job; // sent when the worker's engine has started
        $("mc-status").textContent = "starting the Monte Carlo engine…";
        return;
      }
      $("mc-status").textContent = "drawing…";
      worker.postMessage(job);
    });
    window.addEventListener("resize", () => { if (state) render(); });
    window.addEventListener("hashchange", () => {
      const st = fromFragment(names);
      if (JSON.stringify(st) !== JSON.stringify(state)) loadScenario(st);
    });
    timings.coldStart = performance.now() - t0;
    loadScenario(fromFragment(names));
    startWorker(wasm.slice(0));
    document.body.dataset.ready = "1";
  }

  start().catch((e) => {
    say("The engine could not start: " + e.message);
    console.error("chipsim explorer: " + (e.stack || e));
  });
})();
