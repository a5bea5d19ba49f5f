// The search page: a form whose whole state (query, filters, sort) lives in the URL, answered by
// Pagefind's JS API. OR within a filter group, AND across groups; counts follow the other groups.
// The filter groups and their value ids come with the page (builder/search.py); URLs carry the ids.

const PAGE_SIZE = 20;
const WIDE = window.matchMedia("(min-width: 60rem)");

const root = document.querySelector(".search[data-pagefind-path]");
const form = root.querySelector("form");
const filtersBox = root.querySelector("#search-filters");
const activeCount = root.querySelector("#search-active-count");
const groupsBox = root.querySelector("#search-groups");
const clearButton = root.querySelector("#search-clear");
const showResultsButton = root.querySelector("#search-show-results");
const resultsBox = root.querySelector(".search-results");
const countLine = root.querySelector("#search-count");
const activeList = root.querySelector("#search-active");
const list = root.querySelector("#search-list");
const moreButton = root.querySelector("#search-more");
const GROUPS = [...groupsBox.querySelectorAll("fieldset")].map((fieldset) => fieldset.dataset.group);

// Two Pagefind instances: counting every filter value costs more than the search itself, so the
// finder (which loads only the filters a search uses) shows the cards first; the counter follows.
let finder = null;
let counter = null;
let sequence = 0;
let results = [];
let shown = 0;
let running = null;
let queued = null;
// Values in the URL that no checkbox has (a removed region, a mistyped link): kept, shown and removable.
let stale = {};

/** The checkbox of a group's value, if the page has one. */
function checkbox(group, value) {
  return groupsBox.querySelector(`input[name="${group}"][value="${CSS.escape(value)}"]`);
}

/** A group's value id for a URL value: the id itself, or the id whose id or label matches ignoring case. */
function knownValue(group, value) {
  if (checkbox(group, value)) return value;
  const wanted = value.trim().toLocaleLowerCase();
  for (const box of groupsBox.querySelectorAll(`input[name="${group}"]`)) {
    const label = box.parentElement.querySelector(".search-label").textContent;
    if (box.value.toLocaleLowerCase() === wanted || label.toLocaleLowerCase() === wanted) return box.value;
  }
  return null;
}

/** The state encoded in a URL's query string; values that match nothing go to `stale`. */
function stateFromUrl(href) {
  const params = new URL(href).searchParams;
  const filters = {};
  stale = {};
  for (const group of GROUPS) {
    const values = [];
    for (const value of params.getAll(group).filter((value) => value !== "")) {
      const known = knownValue(group, value);
      if (known === null) (stale[group] ||= []).push(value);
      if (!values.includes(known ?? value)) values.push(known ?? value);
    }
    if (values.length) filters[group] = values;
  }
  return { q: params.get("q") || "", sort: params.get("sort") === "newest" ? "newest" : "", filters };
}

/** The state the form shows now, with the stale values still in force. */
function stateFromForm() {
  const data = new FormData(form);
  const filters = {};
  for (const group of GROUPS) {
    const values = [...data.getAll(group), ...(stale[group] || [])];
    if (values.length) filters[group] = values;
  }
  return { q: data.get("q") || "", sort: data.get("sort") || "", filters };
}

/** The search page's URL for a state; same shape as the form's own GET submission. */
function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.append("q", state.q);
  if (state.sort) params.append("sort", state.sort);
  for (const group of GROUPS) {
    for (const value of state.filters[group] || []) params.append(group, value);
  }
  const query = params.toString();
  return form.action.split("?")[0] + (query ? `?${query}` : "");
}

/** Put a state into the form's controls and the list of active filters. */
function showState(state) {
  form.elements.q.value = state.q;
  form.elements.sort.value = state.sort;
  for (const box of groupsBox.querySelectorAll("input[type=checkbox]")) {
    box.checked = (state.filters[box.name] || []).includes(box.value);
  }
  showActive(state);
}

/** The active filters as removable buttons above the results, and their number on the Filters disclosure. */
function showActive(state) {
  // Drawn again only when they change, so a focused button is not replaced under the reader.
  const drawn = JSON.stringify(state.filters);
  if (activeList.dataset.drawn === drawn) return;
  activeList.dataset.drawn = drawn;
  const items = [];
  for (const group of GROUPS) {
    const legend = groupsBox.querySelector(`#legend-${group}`).textContent;
    for (const value of state.filters[group] || []) {
      const box = checkbox(group, value);
      const text = box ? box.parentElement.querySelector(".search-label").textContent : `“${value}” matches no practice`;
      items.push(activeItem(group, value, `${legend}: ${text}`, !box));
    }
  }
  activeList.replaceChildren(...items);
  activeList.hidden = items.length === 0;
  activeCount.textContent = items.length ? ` (${items.length} active)` : "";
  clearButton.hidden = items.length === 0;
}

/** One active filter: a button that removes it. */
function activeItem(group, value, text, isStale) {
  const item = document.createElement("li");
  if (isStale) item.className = "search-stale";
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.group = group;
  button.dataset.value = value;
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = "Remove filter ";
  const cross = document.createElement("span");
  cross.setAttribute("aria-hidden", "true");
  cross.textContent = " ×";
  button.append(hidden, text, cross);
  item.append(button);
  return item;
}

/** Remove one filter value, whether the form has a checkbox for it or it is stale. */
function removeFilter(group, value) {
  const box = checkbox(group, value);
  if (box) box.checked = false;
  if (stale[group]) {
    stale[group] = stale[group].filter((other) => other !== value);
    if (!stale[group].length) delete stale[group];
  }
  update(true);
  showActive(stateFromForm());
}

/** Pagefind's filter argument: any of the values within a group, all groups together. */
function pagefindFilters(filters, except) {
  const result = {};
  for (const [group, values] of Object.entries(filters)) {
    if (group !== except && values.length) result[group] = { any: values };
  }
  return result;
}

/** Counts for each group with a selection, counted with the other groups' selections only. */
async function selectedGroupCounts(term, state, sort) {
  const counts = {};
  await Promise.all(Object.keys(state.filters).map(async (group) => {
    const without = await counter.search(term, { filters: pagefindFilters(state.filters, group), sort });
    counts[group] = without.filters[group] || {};
  }));
  return counts;
}

/** Write the current counts next to every checkbox. */
function showCounts(counts) {
  for (const box of groupsBox.querySelectorAll("input[type=checkbox]")) {
    const count = (counts[box.name] || {})[box.value] || 0;
    box.parentElement.querySelector(".count").textContent = `(${count})`;
  }
}

/** Pagefind's excerpt as nodes: its text, with only its <mark> highlights kept as elements. */
function excerptNodes(html) {
  // DOMParser's document is inert: nothing in it runs or loads; only text and <mark> are carried over.
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

/** A paragraph of the card with a class and content. */
function cardLine(className, ...content) {
  const line = document.createElement("p");
  line.className = className;
  line.append(...content);
  return line;
}

/** A result card like the site's listings: title link, region and date, summary or matched passage, themes. */
function card(data, term) {
  const article = document.createElement("article");
  article.className = "card";
  const heading = document.createElement("h3");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  article.append(heading);
  const date = document.createElement("time");
  date.dateTime = data.meta.published || "";
  date.textContent = data.meta.date || "";
  article.append(cardLine("card-meta", `${data.meta.region || ""} · `, date));
  if (term && data.excerpt) article.append(cardLine("card-excerpt", ...excerptNodes(data.excerpt)));
  else if (data.meta.summary) article.append(cardLine("card-summary", data.meta.summary));
  if (data.meta.themes) article.append(cardLine("card-themes", data.meta.themes));
  const item = document.createElement("li");
  item.append(article);
  return item;
}

/** Append the next page of result cards; false if a newer search started meanwhile. */
async function showMore(mine, term) {
  const next = results.slice(shown, shown + PAGE_SIZE);
  // Fetched together, shown in order as soon as each arrives: the first card need not wait for the last.
  for (const pending of next.map((result) => result.data())) {
    const data = await pending;
    if (mine !== sequence) return false;
    list.append(card(data, term));
  }
  shown += next.length;
  moreButton.hidden = shown >= results.length;
  moreButton.textContent = `Show more results (${shown} of ${results.length} shown)`;
  return true;
}

/** The sentence the live region announces. */
function countSentence(state, count) {
  const practices = `${count} practice${count === 1 ? "" : "s"}`;
  const filtered = Object.keys(state.filters).length > 0;
  if (!state.q.trim() && !filtered) return `${practices}, newest first.`;
  if (count === 0) return "No practices found. Try other words or fewer filters.";
  return `${practices} found${state.q.trim() ? ` for “${state.q.trim()}”` : ""}.`;
}

/** Run the search a state describes and show its results and counts. */
async function run(state) {
  const mine = ++sequence;
  resultsBox.setAttribute("aria-busy", "true");
  const term = state.q.trim() || null;
  // Without words there is no relevance to sort by: browse newest first.
  const sort = state.sort === "newest" || !term ? { published: "desc" } : {};
  const main = await finder.search(term, { filters: pagefindFilters(state.filters), sort });
  if (mine !== sequence) return;
  results = main.results;
  shown = 0;
  list.replaceChildren();
  // The cards first; the counts (more searches, in the counter) can follow.
  if (!(await showMore(mine, term))) return;
  const [counted, selected] = await Promise.all([
    counter.search(term, { filters: pagefindFilters(state.filters), sort }), selectedGroupCounts(term, state, sort)]);
  if (mine !== sequence) return;
  showCounts({ ...counted.filters, ...selected });
  showActive(state);
  countLine.textContent = countSentence(state, results.length);
  showResultsButton.textContent = `Show the ${results.length === 1 ? "result" : `${results.length} results`}`;
  resultsBox.setAttribute("aria-busy", queued ? "true" : "false");
}

/** Search for `state` after the search under way, if any: keystrokes never pile searches up. */
async function schedule(state) {
  queued = state;
  if (running) return running;
  running = (async () => {
    while (queued) {
      const next = queued;
      queued = null;
      await run(next);
    }
    running = null;
  })();
  return running;
}

/** Record the form's state in the history, then search. */
function update(push) {
  const state = stateFromForm();
  const url = urlFor(state);
  if (url !== window.location.href) {
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }
  schedule(state);
}

/** Show every value of a long group, or its first ones again. */
function toggleAll(button) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.closest("fieldset").classList.toggle("search-all", open);
  button.textContent = open ? "Show fewer" : `Show all ${button.closest("fieldset").querySelectorAll("li").length}`;
}

/** Wire the form's controls up. */
function listen() {
  form.addEventListener("submit", (event) => { event.preventDefault(); update(true); });
  form.elements.q.addEventListener("input", () => update(false));
  form.addEventListener("change", (event) => { if (event.target.name !== "q") update(true); });
  groupsBox.addEventListener("click", (event) => {
    const button = event.target.closest(".search-show-all");
    if (button) toggleAll(button);
  });
  clearButton.addEventListener("click", () => {
    for (const box of groupsBox.querySelectorAll("input:checked")) box.checked = false;
    stale = {};
    update(true);
    form.elements.q.focus();
  });
  activeList.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    removeFilter(button.dataset.group, button.dataset.value);
    (activeList.querySelector("button") || form.elements.q).focus();
  });
  showResultsButton.addEventListener("click", () => {
    filtersBox.open = false;
    root.querySelector("#results-heading").focus();
  });
  moreButton.addEventListener("click", async () => {
    const first = shown;
    if (await showMore(sequence, form.elements.q.value.trim())) list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => { const state = stateFromUrl(window.location.href); showState(state); schedule(state); });
}

/** Load Pagefind from the site's own bundle, then show the URL's search. */
async function start() {
  document.querySelector("#search-needs-js").hidden = true;
  root.hidden = false;
  // Beside the results on a wide screen the filters are open; on a phone the results come first.
  filtersBox.open = WIDE.matches;
  const state = stateFromUrl(window.location.href);
  showState(state);
  try {
    const pagefind = await import(new URL(root.dataset.pagefindPath + "pagefind.js", window.location.href).href);
    // Instances in one worker share their filters, so the finder runs here, beside the counter's worker.
    finder = pagefind.createInstance({ baseUrl: root.dataset.baseUrl, noWorker: true });
    counter = pagefind.createInstance({ baseUrl: root.dataset.baseUrl });
    await Promise.all([finder.init(), counter.init()]);
    await counter.filters();  // loads every filter chunk, so each of its searches counts every group
  } catch (error) {
    countLine.textContent = "The search index could not be loaded. Please try again later, or browse the practices.";
    resultsBox.setAttribute("aria-busy", "false");
    throw error;
  }
  listen();
  if (urlFor(state) !== window.location.href) window.history.replaceState(null, "", urlFor(state));
  await schedule(state);
}

start();
