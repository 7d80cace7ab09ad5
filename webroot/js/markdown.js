// Markdown to DOM nodes, built with createElement and text nodes only: nothing the model or the user
// writes is ever parsed as HTML, so no markup or script in a message can run. Raw HTML shows as text.
//
// Covers what chat replies use: paragraphs (single newlines kept), headings, fenced and indented
// code blocks (kept verbatim, unclosed fences included, as while a reply streams), block quotes,
// bullet and numbered lists (nested by indentation), rules, simple tables, and inline code, bold,
// italic, strike-through, links and bare URLs (http, https and mailto only).

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Renders markdown text into a new DocumentFragment. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  renderBlocks(String(text ?? '').replace(/\r\n?/g, '\n').split('\n'), fragment, 0);
  return fragment;
}

function renderBlocks(lines, parent, depth) {
  let i = 0;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) {
      const p = el('p');
      paragraph.forEach((line, n) => {
        if (n > 0) p.append(el('br'));
        renderInline(line, p);
      });
      parent.append(p);
      paragraph = [];
    }
  };
  while (i < lines.length) {
    const line = lines[i];
    let m;
    if ((m = line.match(FENCE))) {
      flush();
      const marker = m[1];
      const lang = m[2];
      const body = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[i])) {
        body.push(lines[i]);
        i++;
      }
      i++; // the closing fence, or past the end while a reply is still streaming
      parent.append(codeBlock(body.join('\n'), lang));
      continue;
    }
    if (!line.trim()) {
      flush();
      i++;
      continue;
    }
    if (paragraph.length === 0 && /^( {4}|\t)/.test(line)) {
      const body = [];
      while (i < lines.length && (/^( {4}|\t)/.test(lines[i]) || !lines[i].trim())) {
        body.push(lines[i].replace(/^( {4}|\t)/, ''));
        i++;
      }
      while (body.length && !body[body.length - 1].trim()) body.pop();
      parent.append(codeBlock(body.join('\n'), ''));
      continue;
    }
    if ((m = line.match(HEADING))) {
      flush();
      const level = Math.min(6, m[1].length + 2);
      const h = el('h' + level, 'md-h');
      renderInline(m[2], h);
      parent.append(h);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      flush();
      parent.append(el('hr'));
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < 8) {
      flush();
      const inner = [];
      while (i < lines.length && (m = lines[i].match(QUOTE))) {
        inner.push(m[1]);
        i++;
      }
      const quote = el('blockquote');
      renderBlocks(inner, quote, depth + 1);
      parent.append(quote);
      continue;
    }
    if (LIST_ITEM.test(line) && depth < 8) {
      flush();
      i = renderList(lines, i, parent, depth);
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
      flush();
      i = renderTable(lines, i, parent);
      continue;
    }
    paragraph.push(line.trim());
    i++;
  }
  flush();
}

function codeBlock(text, lang) {
  const pre = el('pre', 'md-code');
  const code = el('code', null, text);
  if (lang && /^[\w+#.-]{1,32}$/.test(lang)) {
    code.dataset.lang = lang;
    pre.dataset.lang = lang;
  }
  pre.append(code);
  return pre;
}

function indentOf(s) {
  return s.replace(/\t/g, '    ').length;
}

/** A list starting at lines[start]; items indented deeper than the first nest. Returns the next line. */
function renderList(lines, start, parent, depth) {
  const first = lines[start].match(LIST_ITEM);
  const baseIndent = indentOf(first[1]);
  const ordered = /\d/.test(first[2]);
  const list = el(ordered ? 'ol' : 'ul');
  if (ordered) {
    const n = parseInt(first[2], 10);
    if (n !== 1) list.start = n;
  }
  let i = start;
  let item = null;
  let itemLines = [];
  const closeItem = () => {
    if (item) {
      renderBlocks(itemLines, item, depth + 1);
      // A tight list item is one paragraph: show it without the paragraph margin.
      if (item.childNodes.length === 1 && item.firstChild.tagName === 'P') {
        const p = item.firstChild;
        while (p.firstChild) item.insertBefore(p.firstChild, p);
        p.remove();
      }
      list.append(item);
    }
  };
  while (i < lines.length) {
    const line = lines[i];
    const m = line.match(LIST_ITEM);
    if (m && indentOf(m[1]) <= baseIndent + 1) {
      if (/\d/.test(m[2]) !== ordered && indentOf(m[1]) <= baseIndent) break;
      closeItem();
      item = el('li');
      itemLines = [m[3]];
      i++;
      continue;
    }
    if (!line.trim()) {
      // A blank line ends the list unless the next line continues it (indented, or another item).
      const next = lines[i + 1];
      if (next !== undefined && (indentOf(next.match(/^\s*/)[0]) > baseIndent || LIST_ITEM.test(next))) {
        itemLines.push('');
        i++;
        continue;
      }
      break;
    }
    if (indentOf(line.match(/^\s*/)[0]) > baseIndent) {
      itemLines.push(line.replace(new RegExp(`^\\s{0,${baseIndent + 4}}`), ''));
      i++;
      continue;
    }
    if (m || QUOTE.test(line) || HEADING.test(line) || FENCE.test(line)) break;
    itemLines.push(line.trim()); // a lazy continuation line
    i++;
  }
  closeItem();
  parent.append(list);
  return i;
}

function splitRow(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|'));
}

function renderTable(lines, start, parent) {
  const head = splitRow(lines[start]);
  const align = splitRow(lines[start + 1]).map(c => c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : '');
  const wrap = el('div', 'md-table');
  const table = el('table');
  const thead = el('thead');
  const tr = el('tr');
  head.forEach((cell, n) => {
    const th = el('th');
    if (align[n]) th.style.textAlign = align[n];
    renderInline(cell, th);
    tr.append(th);
  });
  thead.append(tr);
  table.append(thead);
  const tbody = el('tbody');
  let i = start + 2;
  while (i < lines.length && lines[i].includes('|') && lines[i].trim()) {
    const row = el('tr');
    splitRow(lines[i]).forEach((cell, n) => {
      if (n >= head.length) return;
      const td = el('td');
      if (align[n]) td.style.textAlign = align[n];
      renderInline(cell, td);
      row.append(td);
    });
    tbody.append(row);
    i++;
  }
  table.append(tbody);
  wrap.append(table);
  parent.append(wrap);
  return i;
}

// Inline: the earliest match wins; bold/italic/strike/link text is parsed again inside.
const INLINE = new RegExp([
  /(`+)([\s\S]*?[^`])\1(?!`)/.source,                          // 1,2 code
  /\*\*(?=\S)([\s\S]*?\S)\*\*/.source,                          // 3 bold
  /(?<![\w\\])__(?=\S)([\s\S]*?\S)__(?!\w)/.source,              // 4 bold
  /(?<![*\\])\*(?=[^\s*])([\s\S]*?[^\s*\\])\*(?!\*)/.source,     // 5 italic
  /(?<![\w\\])_(?=[^\s_])([\s\S]*?[^\s_\\])_(?!\w)/.source,      // 6 italic
  /~~(?=\S)([\s\S]*?\S)~~/.source,                              // 7 strike
  /\[([^\]\n]+)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?(?:\s+"[^"]*")?\s*\)/.source, // 8,9 link
  /<(https?:\/\/[^\s<>]+|mailto:[^\s<>]+)>/.source,             // 10 autolink
  /\b(https?:\/\/[^\s<>]*[^\s<>.,:;"'!?)\]])/.source,           // 11 bare URL
  /\\([\\`*_{}\[\]()#+\-.!|~<>])/.source,                       // 12 escape
].join('|'));

function safeHref(raw) {
  try {
    const url = new URL(raw, location.href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function link(href, parent, label, depth) {
  const safe = safeHref(href);
  if (!safe) {
    parent.append(document.createTextNode(label ?? href));
    return;
  }
  const a = el('a');
  a.href = safe;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow';
  if (label === undefined) a.textContent = href;
  else renderInline(label, a, depth + 1);
  parent.append(a);
}

export function renderInline(text, parent, depth = 0) {
  let rest = text;
  while (rest) {
    const m = depth < 6 ? INLINE.exec(rest) : null;
    if (!m) {
      parent.append(document.createTextNode(rest));
      return;
    }
    if (m.index > 0) parent.append(document.createTextNode(rest.slice(0, m.index)));
    if (m[2] !== undefined) {
      const inner = m[2].length > 2 && m[2].startsWith(' ') && m[2].endsWith(' ') ? m[2].slice(1, -1) : m[2];
      parent.append(el('code', null, inner));
    } else if (m[3] !== undefined || m[4] !== undefined) {
      const b = el('strong');
      renderInline(m[3] ?? m[4], b, depth + 1);
      parent.append(b);
    } else if (m[5] !== undefined || m[6] !== undefined) {
      const em = el('em');
      renderInline(m[5] ?? m[6], em, depth + 1);
      parent.append(em);
    } else if (m[7] !== undefined) {
      const s = el('del');
      renderInline(m[7], s, depth + 1);
      parent.append(s);
    } else if (m[8] !== undefined) {
      link(m[9], parent, m[8], depth);
    } else if (m[10] !== undefined) {
      link(m[10], parent, undefined, depth);
    } else if (m[11] !== undefined) {
      link(m[11], parent, undefined, depth);
    } else if (m[12] !== undefined) {
      parent.append(document.createTextNode(m[12]));
    }
    rest = rest.slice(m.index + m[0].length);
  }
}
