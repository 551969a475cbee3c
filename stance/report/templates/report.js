// The claims table: rows come from the JSON block, filtered by outlet, side, speaker, week and confidence.
(function () {
  const data = JSON.parse(document.getElementById("claims-data").textContent);
  const cols = data.columns, rows = data.rows, col = {};
  cols.forEach((c, i) => { col[c] = i; });
  const $ = id => document.getElementById(id);
  const filters = {outlet: $("f-outlet"), speaker_group: $("f-group"), week: $("f-week")};
  const speaker = $("f-speaker"), lowOnly = $("f-low"), body = $("claims-body"), count = $("claims-count");
  const more = $("claims-more"), PAGE = 200;
  let shown = PAGE;

  function options(select, key) {
    const n = {};
    rows.forEach(r => { n[r[col[key]]] = (n[r[col[key]]] || 0) + 1; });
    Object.keys(n).sort().forEach(v => {
      const o = document.createElement("option");
      o.value = v; o.textContent = v + " (" + n[v] + ")";
      select.appendChild(o);
    });
  }
  Object.keys(filters).forEach(k => options(filters[k], k));

  function matches(r) {
    for (const k in filters) if (filters[k].value && r[col[k]] !== filters[k].value) return false;
    const who = speaker.value.trim().toLowerCase();
    if (who && !(r[col.speaker_resolved] + " " + r[col.speaker]).toLowerCase().includes(who)) return false;
    return !lowOnly.checked || r[col.low_confidence];
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function render() {
    const hits = rows.filter(matches);
    body.textContent = "";
    const frag = document.createDocumentFragment();
    hits.slice(0, shown).forEach(r => {
      const tr = document.createElement("tr");
      tr.dataset.outlet = r[col.outlet];
      const td = cell(tr, "", "claim");
      const a = document.createElement("a");
      a.href = r[col.link]; a.textContent = "\u201c" + r[col.claim] + "\u201d";
      td.appendChild(a);
      if (r[col.low_confidence]) {
        const b = document.createElement("span");
        b.className = "badge low"; b.textContent = "low confidence";
        b.title = "stance probability " + r[col.stance_confidence].toFixed(2);
        td.append(" ", b);
      }
      cell(tr, r[col.speaker_resolved] || "(no named source)");
      cell(tr, r[col.speaker_group]);
      const st = cell(tr, r[col.stance] + " " + (r[col.stance_confidence] == null ? "" : r[col.stance_confidence].toFixed(2)));
      st.style.borderLeft = "4px solid " + (data.colours[r[col.stance]] || "#a0aec0");
      cell(tr, r[col.outlet], "opt");
      cell(tr, r[col.week], "opt");
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    count.textContent = "showing " + Math.min(shown, hits.length) + " of " + hits.length + " claims";
    more.hidden = hits.length <= shown;
  }

  const reset = () => { shown = PAGE; render(); };
  Object.values(filters).forEach(s => s.addEventListener("change", reset));
  speaker.addEventListener("input", reset);
  lowOnly.addEventListener("change", reset);
  more.addEventListener("click", () => { shown += PAGE * 5; render(); });
  render();
})();
