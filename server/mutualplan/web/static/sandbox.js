// The sandbox page: a spreadsheet grid beside the mutualplan sidebar. The sidebar posts event objects
// to the add-on's own endpoints, as Sheets does. Text from cells only ever reaches the page as text.
"use strict";

// What a person chose survives a reload, as in Sheets: the persona, and the spreadsheets granted access.
const remembered = (name, fallback) => { try { return JSON.parse(localStorage.getItem(`mutualplan-${name}`)) ?? fallback; } catch { return fallback; } };
const remember = (name, value) => localStorage.setItem(`mutualplan-${name}`, JSON.stringify(value));
const state = {
  sheet: "", persona: remembered("persona", ""), buyer: false, tab: "", view: "", granted: new Set(remembered("granted", [])),
  cardInputs: null, dragged: {}, scroll: {}, gridAsked: 0, proposals: null,
};
const grant = (sheet) => { state.granted.add(sheet); remember("granted", [...state.granted]); };
const BLANK_ROWS = 30, BLANK_COLUMNS = 10; // an empty tab still shows a grid to type in, as Sheets does
const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== undefined && value !== null) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function toast(message) {
  const box = $("toast");
  box.textContent = message;
  box.classList.add("shown");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove("shown"), 4000);
}

async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `${path} answered ${response.status}`);
  return answer;
}

// ---- the spreadsheet ------------------------------------------------------------------------------
async function loadState() {
  const answer = await api(`/sandbox/api/state?id=${encodeURIComponent(state.sheet)}`);
  const sheets = $("sheet");
  sheets.replaceChildren(...answer.spreadsheets.map((item) => el("option", { value: item.id, text: item.title })));
  if (!state.sheet && answer.spreadsheets.length) state.sheet = answer.spreadsheets[0].id;
  sheets.value = state.sheet;
  const personas = $("persona");
  const chosen = state.persona;
  personas.replaceChildren(...answer.personas.map((item) => el("option", { value: item.email, text: item.name, title: item.email })));
  state.persona = answer.personas.some((item) => item.email === chosen) ? chosen : (answer.personas[0] || {}).email || "";
  state.buyer = (answer.personas.find((item) => item.email === state.persona) || {}).side === "customer";
  personas.value = state.persona;
  remember("persona", state.persona);
  $("today").textContent = answer.today;
  // A buyer's button is their own inbox: their messages alone, counted by address.
  $("outbox-name").textContent = state.buyer ? "Inbox" : "Outbox";
  $("outbox-count").textContent = state.buyer ? answer.inboxes[state.persona.toLowerCase()] || 0 : answer.outbox;
  // A proposal made meanwhile (on the buyer's page, in another tab) is said once, as it arrives.
  const known = state.proposals?.sheet === state.sheet ? state.proposals.said : null;
  const fresh = (answer.proposals || []).filter((said) => known && !known.includes(said));
  if (fresh.length) toast(`New proposal: ${fresh.join("; ")} — answer it in the sidebar`);
  state.proposals = { sheet: state.sheet, said: answer.proposals || [] };
  const sheet = answer.spreadsheets.find((item) => item.id === state.sheet);
  if (sheet && sheet.plan && !state.granted.has(state.sheet)) grant(state.sheet);
}

async function loadGrid() {
  const asked = ++state.gridAsked;
  const sheet = state.sheet;
  const answer = await api(`/sandbox/api/sheet?id=${encodeURIComponent(sheet)}&tab=${encodeURIComponent(state.tab)}`);
  // A later reload (another tab chosen meanwhile), or another spreadsheet opened, is the one to show.
  if (asked !== state.gridAsked || sheet !== state.sheet) return;
  state.tab = answer.tab;
  const here = `${state.sheet}/${answer.tab}`;
  $("tabs").replaceChildren(...answer.tabs.map((tab) => el("button", {
    type: "button", text: tab, "aria-selected": String(tab === answer.tab), "data-tab": tab,
    onclick: () => { keepScroll(); state.tab = tab; loadGrid(); },
  })));
  // What the person is typing, and what they have selected to type over, survives the reload an edit
  // elsewhere causes: text selected to be replaced is still replaced by the next keystroke.
  const typing = document.activeElement?.closest?.("#grid") ? document.activeElement : null;
  const kept = typing && {
    label: typing.getAttribute("aria-label"), value: typing.value, dirty: typing.value !== typing.dataset.saved,
    selection: typeof typing.selectionStart === "number" ? [typing.selectionStart, typing.selectionEnd, typing.selectionDirection] : null,
  };
  const width = Math.max(BLANK_COLUMNS, ...answer.rows.map((row) => row.length));
  const height = Math.max(BLANK_ROWS, answer.rows.length);
  const letters = Array.from({ length: width }, (_, index) => columnName(index));
  // Fitted to what the table holds now (a Validate fills the Check column), except where a person dragged.
  const widths = fittedWidths(answer.rows.map((row, index) => index < answer.header_row ? clipped(row) : row), width).map((px, col) => state.dragged[here]?.[col] ?? px);
  const sticky = new Set(answer.key_columns || []);
  const colgroup = el("colgroup", {}, el("col", { style: "width: 40px" }), ...widths.map((px) => el("col", { style: `width: ${px}px` })));
  const head = el("tr", { class: "letters" }, el("th", { class: "corner" }), ...letters.map((letter, col) => el("th", { class: sticky.has(col) ? "key" : false, "data-col": col }, document.createTextNode(letter), grip(here, widths, col))));
  const blank = (index, col) => ({ a1: `${letters[col]}${index + 1}`, text: "", kind: "text", options: [] });
  const rows = Array.from({ length: height }, (_, index) => {
    const row = answer.rows[index] || [];
    const above = answer.header_row !== undefined && index < answer.header_row;
    const cells = [];
    for (let col = 0; col < width; col += 1) {
      // Above the table, a value runs on over the empty cells beside it, as Sheets lets text overflow.
      const span = above ? overflow(row, col, widths) : 1;
      cells.push(cell(row[col] || blank(index, col), col, span === 1 && sticky.has(col), span));
      col += span - 1;
    }
    return el("tr", { class: index === answer.header_row ? "table-header" : false }, el("th", { text: String(index + 1) }), ...cells);
  });
  $("grid").replaceChildren(colgroup, el("thead", {}, head), el("tbody", {}, ...rows));
  placeKeyColumns(widths, sticky);
  const scroll = state.scroll[here] || { left: 0, top: 0 };
  $("grid-wrap").scrollLeft = scroll.left;
  $("grid-wrap").scrollTop = scroll.top;
  if (kept) {
    const again = document.querySelector(`#grid [aria-label="${CSS.escape(kept.label)}"]`);
    if (again) {
      if (kept.dirty) again.value = kept.value;
      again.focus();
      if (kept.selection && typeof again.selectionStart === "number") again.setSelectionRange(...kept.selection);
    }
  }
  const figure = $("timeline-figure");
  const planned = answer.tabs.includes("Log");
  figure.hidden = !planned;
  if (planned) $("timeline").src = `/sandbox/timeline.svg?id=${encodeURIComponent(sheet)}&at=${Date.now()}`;
}

function keepScroll() {
  // Each tab keeps its own scroll, as in Sheets: another tab opens where it was left, or at A1.
  if (state.tab) state.scroll[`${state.sheet}/${state.tab}`] = { left: $("grid-wrap").scrollLeft, top: $("grid-wrap").scrollTop };
}

const CHAR_PX = 7.5; // the width of an average character of the grid's font, in px

function fittedWidths(rows, width) {
  // Each column as wide as its longest line, within reason, and never narrower than its longest word:
  // long text wraps between words, not inside one.
  return Array.from({ length: width }, (_, col) => {
    const texts = rows.map((row) => row[col]?.text || "");
    const longestLine = Math.max(4, ...texts.flatMap((text) => text.split("\n").map((line) => line.length)));
    const longestWord = Math.max(0, ...texts.flatMap((text) => text.split(/\s+/).map((word) => word.length)));
    const picker = rows.some((row) => row[col]?.options?.length) ? 18 : 0;
    return Math.min(280, Math.max(64, 16 + picker + longestLine * CHAR_PX, 16 + picker + longestWord * CHAR_PX));
  });
}

function clipped(row) {
  // Above the table, only a value with another beside it needs its own width; the rest overflow.
  return row.map((item, col) => (row[col + 1]?.text ? item : undefined));
}

function overflow(row, col, widths) {
  // How many columns a value above the table covers: as many as its text needs, up to the next value.
  const needs = 16 + (row[col]?.text || "").length * CHAR_PX;
  let span = 1, covered = widths[col];
  while (covered < needs && col + span < widths.length && !(row[col + span]?.text)) covered += widths[col + span++];
  return span;
}

function placeKeyColumns(widths, sticky) {
  // The ID and Step columns stay in view: each sticks after the row numbers and the key columns before it.
  let left = 40;
  widths.forEach((px, col) => {
    if (!sticky.has(col)) return;
    for (const node of document.querySelectorAll(`#grid .key[data-col="${col}"]`)) node.style.left = `${left}px`;
    left += px;
  });
}

function grip(here, widths, col) {
  // Drag a column's right edge to resize it, as in Sheets; the width chosen is kept for the tab.
  const handle = el("span", { class: "grip", "aria-hidden": "true" });
  handle.addEventListener("mousedown", (down) => {
    down.preventDefault();
    const start = widths[col];
    const move = (event) => {
      widths[col] = Math.max(40, start + event.clientX - down.clientX);
      (state.dragged[here] ||= {})[col] = widths[col];
      $("grid").querySelectorAll("col")[col + 1].style.width = `${widths[col]}px`;
    };
    const up = () => { document.removeEventListener("mousemove", move); document.removeEventListener("mouseup", up); placeKeyColumns(widths, new Set([...document.querySelectorAll("#grid thead th.key")].map((th) => th.cellIndex - 1))); };
    document.addEventListener("mousemove", move);
    document.addEventListener("mouseup", up);
  });
  return handle;
}

function columnName(index) {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function cell(data, col, key, span = 1) {
  const td = el("td", {
    title: data.note || false, class: [data.colour, key ? "key" : ""].filter(Boolean).join(" ") || false,
    "data-cell": data.a1, "data-col": col, colspan: span > 1 ? span : false,
  });
  let input;
  if (data.options && data.options.length) {
    input = el("select", {}, el("option", { value: "", text: "" }), ...data.options.map((option) => el("option", { value: option, text: option })));
    input.value = data.text;
  } else if (data.kind === "bool") {
    input = el("input", { type: "checkbox" });
    input.checked = data.text === "TRUE";
  } else if (data.kind === "date") {
    // Typed as text and committed once (Enter, Tab or leaving the cell), never keystroke by keystroke.
    input = el("input", { type: "text", class: "date", value: data.text, placeholder: "YYYY-MM-DD", inputmode: "numeric", autocomplete: "off" });
  } else {
    input = el("textarea", { rows: "1", spellcheck: "false" });
    input.value = data.text;
  }
  input.dataset.saved = input.type === "checkbox" ? String(input.checked) : input.value;
  input.setAttribute("aria-label", data.a1);
  input.addEventListener("change", () => {
    const value = input.type === "checkbox" ? String(input.checked).toUpperCase() : input.value;
    if (value === input.dataset.saved || (input.type === "checkbox" && String(input.checked) === input.dataset.saved)) return;
    input.dataset.saved = input.type === "checkbox" ? String(input.checked) : value;
    edit(data.a1, value);
  });
  if (input.tagName !== "SELECT" && input.type !== "checkbox") {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.altKey && !event.shiftKey) { event.preventDefault(); input.blur(); }
      if (event.key === "Escape") { input.value = input.dataset.saved; input.blur(); }
    });
  }
  td.append(input);
  if (data.standing) {
    // Where the confirmation stands, at a glance: verified, claimed, voided, or a tick not counted.
    td.classList.add(data.standing.kind);
    td.append(el("span", { class: `badge ${data.standing.kind}`, text: data.standing.short, title: data.standing.text }));
  }
  return td;
}

async function edit(a1, value) {
  try {
    const answer = await api("/sandbox/api/cell", { id: state.sheet, tab: state.tab, cell: a1, value, as: state.persona });
    toast(answer.recorded.length ? `In the Log:\n${answer.recorded.join("\n")}` : "Saved");
  } catch (error) {
    toast(error.message);
  }
  await loadGrid();
  await loadState(); // a person just named may be a new persona
  await refreshSidebar();
  document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
}

// ---- the sidebar: card JSON from the add-on's endpoints ----------------------------------------------
// A button's event carries no sheets object at all (as one public add-on reports Google's do): the server
// finds the spreadsheet in the parameter every button carries, so that fallback runs on every click here.
function addonEvent(extraInputs = {}, parameters = {}, fromButton = false) {
  const granted = state.granted.has(state.sheet);
  const sheets = { addonHasFileScopePermission: granted };
  if (granted) Object.assign(sheets, { id: state.sheet, title: $("sheet").selectedOptions[0]?.textContent || "" });
  return {
    commonEventObject: {
      hostApp: "SHEETS", platform: "WEB", userLocale: "en", timeZone: { id: "UTC", offset: 0 },
      formInputs: extraInputs, parameters,
    },
    authorizationEventObject: { userOAuthToken: `sandbox:${state.persona}` },
    ...(fromButton ? {} : { sheets }),
  };
}

const VIEWS = new Set(["/addon/home", "/addon/validate", "/addon/activity", "/addon/pipeline"]); // cards that show the plans as they are

async function callAddon(url, quiet = false, parameters = {}, fromButton = false) {
  const path = new URL(url, location.origin).pathname;
  if (VIEWS.has(path)) state.view = path;
  else if (path === "/addon/stamp") {
    state.view = "/addon/home"; // a stamp answers with the home card
    state.tab = ""; // and the grid turns to the plan's tab, as a seller would click it
  }
  else if (path === "/addon/pipeline/make") {
    state.view = "/addon/home"; // the spreadsheet now opens on its Pipeline card
    state.tab = "Pipeline"; // and the grid turns to the tab just written
  }
  else if (path !== "/addon/file-scope-granted") state.view = "";
  try {
    await handle(await api(path, addonEvent(formInputs(), parameters, fromButton)), quiet);
  } catch (error) {
    toast(error.message);
  } finally {
    document.body.dataset.answered = String(Number(document.body.dataset.answered || 0) + 1); // for tests
  }
}

async function refreshSidebar() {
  // An edit or a clock move changes what the plan's cards show: the card on screen is asked for again.
  if (state.view) await callAddon(state.view, true);
}

async function handle(answer, quiet = false) {
  const host = answer.renderActions?.hostAppAction?.editorAction;
  if (host && "requestFileScopeForActiveDocument" in host) {
    grant(state.sheet);
    return callAddon("/addon/file-scope-granted");
  }
  const action = answer.action || answer.renderActions?.action || {};
  if (action.notification && !quiet) toast(action.notification.text);
  for (const navigation of action.navigations || []) {
    const card = navigation.pushCard || navigation.updateCard;
    if (card) renderCard(card);
  }
  if (!quiet) {
    $("sidebar").scrollTop = 0; // a new card opens at its top
    await Promise.all([loadGrid(), loadState()]); // a refresh follows a reload already made
  }
}

function rich(text) {
  // Card text is card HTML: keep bold, italics and breaks; everything else becomes text.
  const parsed = new DOMParser().parseFromString(`<body>${text}</body>`, "text/html").body;
  const span = el("span");
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) to.append(document.createTextNode(node.textContent));
      else if (["B", "I", "U", "STRONG", "EM"].includes(node.nodeName)) { const kept = el(node.nodeName.toLowerCase()); copy(node, kept); to.append(kept); }
      else if (node.nodeName === "BR") to.append(el("br"));
      else if (node.nodeName === "FONT" && /^#[0-9a-f]{6}$/i.test(node.getAttribute("color") || "")) {
        const kept = el("span", { style: `color:${node.getAttribute("color")}` }); copy(node, kept); to.append(kept);
      }
      else copy(node, to);
    }
  };
  copy(parsed, span);
  return span;
}

function renderCard(card) {
  const inputs = [];
  const header = el("div", { class: "card-header" }, el("h2", { text: card.header?.title || "" }), el("p", { text: card.header?.subtitle || "" }));
  const sections = (card.sections || []).map((section) => el("section", { class: "card-section" },
    section.header ? el("h3", {}, rich(section.header)) : null,
    ...(section.widgets || []).map((widget) => renderWidget(widget, inputs))));
  $("card").replaceChildren(header, ...sections);
  state.cardInputs = inputs;
}

function renderWidget(widget, inputs) {
  if (widget.textParagraph) return el("p", {}, rich(widget.textParagraph.text));
  if (widget.decoratedText) {
    const item = widget.decoratedText;
    const parts = [item.topLabel ? el("div", { class: "top", text: item.topLabel }) : null,
      el("div", {}, rich(item.text || "")), item.bottomLabel ? el("div", { class: "bottom", text: item.bottomLabel }) : null];
    const link = item.onClick?.openLink;
    if (!link) return el("div", { class: "decorated" }, ...parts);
    // As in Sheets: the whole row is one tap, opening its link.
    const open = () => openLink(link);
    return el("div", { class: "decorated clickable", role: "link", tabindex: "0", "data-link": link.url, onclick: open,
      onkeydown: (event) => { if (event.key === "Enter") open(); } }, ...parts);
  }
  if (widget.buttonList) return el("div", { class: "buttons" }, ...widget.buttonList.buttons.map(renderButton));
  if (widget.divider) return el("hr");
  if (widget.image) return el("img", { src: widget.image.imageUrl, alt: widget.image.altText || "" });
  if (widget.textInput) {
    const field = widget.textInput;
    const input = field.type === "MULTIPLE_LINE" ? el("textarea", { name: field.name }) : el("input", { type: "text", name: field.name, placeholder: field.hintText || "" });
    input.value = field.value || "";
    inputs.push({ name: field.name, read: () => input.value ? { stringInputs: { value: [input.value] } } : null });
    return el("label", { class: "field" }, el("span", { text: field.label || "" }), input);
  }
  if (widget.dateTimePicker) {
    // Typed as the sheet writes dates (YYYY-MM-DD), whatever the browser's locale would show.
    const field = widget.dateTimePicker;
    const input = el("input", { type: "text", name: field.name, placeholder: "YYYY-MM-DD", inputmode: "numeric", autocomplete: "off", pattern: "\\d{4}-\\d{2}-\\d{2}" });
    if (field.valueMsEpoch) input.value = new Date(Number(field.valueMsEpoch)).toISOString().slice(0, 10);
    inputs.push({ name: field.name, read: () => {
      const typed = input.value.trim();
      if (!typed) return null;
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(typed) ? Date.parse(`${typed}T00:00:00Z`) : NaN;
      if (Number.isNaN(ms)) throw new Error(`${field.label}: type the date as YYYY-MM-DD, for example 2027-03-31`);
      return { dateInput: { msSinceEpoch: String(ms) } };
    } });
    return el("label", { class: "field" }, el("span", { text: field.label || "" }), input);
  }
  if (widget.selectionInput) {
    const field = widget.selectionInput;
    if (field.type === "DROPDOWN") {
      const select = el("select", { name: field.name }, ...field.items.map((item) => el("option", { value: item.value, text: item.text, selected: Boolean(item.selected) })));
      inputs.push({ name: field.name, read: () => ({ stringInputs: { value: [select.value] } }) });
      return el("label", { class: "field" }, el("span", { text: field.label || "" }), select);
    }
    const boxes = field.items.map((item) => { const box = el("input", { type: "checkbox", value: item.value }); box.checked = Boolean(item.selected); return [box, item]; });
    inputs.push({ name: field.name, read: () => ({ stringInputs: { value: boxes.filter(([box]) => box.checked).map(([box]) => box.value) } }) });
    return el("fieldset", { class: "field" }, el("legend", { text: field.label || "" }), ...boxes.map(([box, item]) => el("label", {}, box, el("span", { text: item.text }))));
  }
  return el("div", { text: "" });
}

function renderButton(button) {
  const click = button.onClick || {};
  if (click.openLink) return el("button", { type: "button", text: button.text, "data-link": click.openLink.url, onclick: () => openLink(click.openLink) });
  // As Google does: the action's parameters ([{key, value}]) reach the event as commonEventObject.parameters.
  const parameters = Object.fromEntries((click.action.parameters || []).map((item) => [item.key, item.value]));
  return el("button", {
    type: "button", text: button.text, "data-parameters": JSON.stringify(parameters),
    onclick: () => callAddon(click.action.function, false, parameters, true),
  });
}

// As Google does: the link opens in its own tab (an overlay there), and the card reloads when it closes.
function openLink(link) {
  if (link.url.includes("/oauth/")) {  // Connect and Reconnect: Google's consent screen
    toast("In Google, this opens Google's consent screen; the sandbox needs no connection.");
    return;
  }
  const target = new URL(link.url, location.href);
  const range = new URLSearchParams(target.hash.slice(1)).get("range");
  const other = target.origin === location.origin ? target.searchParams.get("sheet") : null;
  if (other && other !== state.sheet && !range) {
    state.sheet = other; // another spreadsheet of this sandbox: open it here, as a new tab of Sheets would
    openSheet();
    return;
  }
  if (target.origin === location.origin && target.searchParams.get("sheet") === state.sheet && range) {
    goToCell(range); // the sheet at a cell: this page is the sheet, so select it here
    return;
  }
  const opened = window.open(link.url, "_blank");
  if (!opened || link.onClose !== "RELOAD") return;
  const watch = setInterval(() => {
    if (!opened.closed) return;
    clearInterval(watch);
    callAddon("/addon/home");
  }, 1000);
}

async function goToCell(a1) {
  // As Sheets does for a link to a range: the plan's tab, scrolled to the cell, the cell selected.
  keepScroll();
  state.tab = ""; // an unnamed tab is the plan's, as the server resolves it
  await loadGrid();
  const field = document.querySelector(`#grid [aria-label="${CSS.escape(a1)}"]`);
  if (!field) { toast(`${a1} is not on this tab`); return; }
  field.scrollIntoView({ block: "center", inline: "center" });
  field.focus();
}

function formInputs() {
  const found = {};
  for (const input of state.cardInputs || []) {
    const value = input.read();
    if (value) found[input.name] = value;
  }
  return found;
}

// ---- the clock, reminders and the outbox ----------------------------------------------------------
async function moveToday(days) {
  const answer = await api("/sandbox/api/today", { days });
  $("today").textContent = answer.today;
  const sent = answer.sent === 1 ? "1 reminder" : `${answer.sent} reminders`;
  toast(`Today is ${answer.today}. The daily job ran for each day: ${sent} sent${answer.sent ? " (see the Outbox)" : ""}.`);
  await loadGrid();
  await loadState();
  await refreshSidebar();
}

async function runReminders() {
  const answer = await api("/sandbox/api/remind", {});
  toast(`${answer.sent.length} sent, ${answer.skipped.length} not sent (the Outbox says why)`);
  await loadState();
}

const KINDS = {
  upcoming: "due soon", due: "due today", overdue: "overdue", confirm_request: "confirm the dates",
  verify_request: "verify a claim", digest: "weekly countdown", confirmation_voided: "confirmation voided",
};

async function showOutbox() {
  const answer = await api("/sandbox/api/outbox");
  // A buyer sees their own inbox; the seller sees everything the plan sent.
  // "Jane Doe <jane@…>" is Jane's: the address in the angle brackets, else the whole of it.
  const addressOf = (to) => ((to.match(/<([^>]+)>/) || [])[1] || to).toLowerCase();
  const mine = (item) => !state.buyer || addressOf(item.to) === state.persona.toLowerCase();
  $("outbox-title").textContent = state.buyer ? `Inbox of ${state.persona}` : "Outbox";
  const sent = answer.messages.filter(mine).map((item) => el("li", { "data-id": item.id, onclick: () => showMessage(item.id) },
    el("b", { text: item.subject }), el("br"),
    el("span", { class: "meta", text: `${item.at.slice(0, 10)} · ${KINDS[item.kind] || item.kind} · to ${item.to}` })));
  // A reminder already sent is skipped every day after: counted, not listed.
  const again = answer.not_sent.filter((item) => item.why === "already sent").length;
  const notSent = answer.not_sent.filter((item) => !state.buyer && item.why !== "already sent").map((item) => el("li", { class: "not-sent" },
    el("span", { class: "meta", text: `${item.day} · ${KINDS[item.kind] || item.kind} · to ${item.to || "nobody"}` }), el("br"),
    document.createTextNode(`Not sent: ${item.why}`)));
  $("messages").replaceChildren(
    ...(sent.length ? sent : [el("li", { class: "empty", text: "Nothing sent yet: move the clock, or Run reminders." })]),
    ...(notSent.length ? [el("li", { class: "section", text: `Not sent (${notSent.length})` }), ...notSent] : []),
    ...(again && !state.buyer ? [el("li", { class: "empty", text: `${again} more were not sent again: each reminder goes out once.` })] : []));
  $("outbox").hidden = false;
}

function headerValue(name, value, theirs) {
  // A mail client offers List-Unsubscribe as one word to click, not a line of sealed token; looked at as
  // anyone but the recipient, the link is theirs alone and is not offered.
  if (name !== "List-Unsubscribe") return document.createTextNode(value);
  if (!theirs) return document.createTextNode("Unsubscribe (the link is in their inbox only)");
  const link = /^<(https?:\/\/[^>]+)>$/.exec(value);
  return link ? el("a", { href: link[1], target: "_blank", rel: "noopener", text: "Unsubscribe" }) : document.createTextNode(value);
}

async function showMessage(number) {
  // Looked at as someone other than its recipient, a message's personal links come masked.
  const answer = await api(`/sandbox/api/outbox/${number}?as=${encodeURIComponent(state.persona)}`);
  $("message-headers").replaceChildren(...Object.entries(answer.headers).flatMap(([name, value]) => [el("dt", { text: name }), el("dd", {}, headerValue(name, value, answer.theirs))]));
  // A link in a message opens top-level, in its own tab, as a mail client opens it (never in this frame).
  const base = '<base target="_blank">';
  $("message-body").srcdoc = /<head[^>]*>/i.test(answer.html) ? answer.html.replace(/(<head[^>]*>)/i, `$1${base}`) : base + answer.html;
  $("message").hidden = false;
}

async function openSheet() {
  state.tab = "";
  await loadState();
  if (!state.sheet) {
    toast("No spreadsheet yet: make one with New spreadsheet");
    return;
  }
  await loadGrid();
  await callAddon("/addon/home");
}

document.addEventListener("DOMContentLoaded", async () => {
  $("grid-wrap").addEventListener("scroll", keepScroll, { passive: true });
  // Back from another tab (the buyer's page, a message): the sheet and the card as they are now.
  window.addEventListener("focus", async () => { if (state.sheet) { await loadState(); await loadGrid(); await refreshSidebar(); } });
  state.sheet = new URLSearchParams(location.search).get("sheet") || ""; // an email's "Open the plan"
  const intro = $("intro");
  intro.hidden = localStorage.getItem("mutualplan-intro") === "dismissed";
  $("dismiss-intro").addEventListener("click", () => { intro.hidden = true; localStorage.setItem("mutualplan-intro", "dismissed"); });
  $("sheet").addEventListener("change", (event) => { state.sheet = event.target.value; openSheet(); });
  $("persona").addEventListener("change", async (event) => { state.persona = event.target.value; remember("persona", state.persona); await loadState(); callAddon("/addon/home"); });
  $("new-sheet").addEventListener("click", async () => { state.sheet = (await api("/sandbox/api/spreadsheets", {})).id; openSheet(); });
  $("day").addEventListener("click", () => moveToday(1));
  $("week").addEventListener("click", () => moveToday(7));
  $("remind").addEventListener("click", runReminders);
  $("show-outbox").addEventListener("click", showOutbox);
  $("close-outbox").addEventListener("click", () => { $("outbox").hidden = true; });
  await openSheet();
});
