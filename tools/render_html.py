"""Render the workshop notebooks, executed, to a static site: site/<name>.html and site/index.html.

usage: .venv/bin/python tools/render_html.py [--force] [--out DIR] [NAME ...]   (`make html`)

For each notebook of notebooks/ (names starting with _ are left out), in the
teaching order of tools/notebook_order.txt:
  1. an executed copy: target/notebooks/<name>.ipynb (what `make test-notebooks`
     writes) is reused when it is newer than the notebook and passes the
     notebook checks (tests/nbcheck.py: no error, no panic, a rendered plot);
     otherwise, or with --force, the notebook is executed headless with the
     Rust kernel (tests/nbrun.py's `execute`, which writes that copy);
  2. rendered with nbconvert's HTML exporter (the `lab` template, as
     `jupyter nbconvert --to html`) to site/<name>.html; evcxr's plots are
     inline <svg> in text/html outputs and stay inline (checked);
site/index.html lists the notebooks by section with each one's title and one
line from its first markdown cell. Math is typeset by MathJax 2.7.9 (the
version nbconvert's template is written for) from site/mathjax/, copied from
the npm package pinned in tools/mathjax/package-lock.json (`make html` runs
`npm ci` there): the pages load nothing from the network (e2e/site.js checks).

Exit status 1 when a notebook cannot be executed cleanly or loses its plots
(the others are still rendered).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import nbformat  # noqa: E402

NB_DIR = REPO / "notebooks"
ORDER_FILE = REPO / "tools" / "notebook_order.txt"
SITE_TITLE = "Neural networks in Rust: the workshop notebooks"
MATHJAX_SRC = REPO / "tools" / "mathjax" / "node_modules" / "mathjax"
# What the pages use of the package (73 MB in all): the combined TeX/CommonHTML
# configuration, its extensions and the TeX web fonts, about 2 MB.
MATHJAX_PARTS = [
    "LICENSE",
    "MathJax.js",
    "config/TeX-AMS_CHTML-full.js",
    "config/Safe.js",
    "extensions/Safe.js",
    "extensions/MathEvents.js",
    "extensions/MathMenu.js",
    "extensions/MathZoom.js",
    "extensions/tex2jax.js",
    "extensions/TeX",
    "jax/element",
    "jax/input/TeX",
    "jax/output/CommonHTML",
    "fonts/HTML-CSS/TeX/woff",
    "fonts/HTML-CSS/TeX/otf",
    "localization/en",
]
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


# ---------------------------------------------------------------- order and summaries


def read_order() -> list[tuple[str, list[str]]]:
    """[(section title, [notebook names])] from tools/notebook_order.txt."""
    sections: list[tuple[str, list[str]]] = []
    for raw in ORDER_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif line and not line.startswith("#"):
            if not sections:
                sections.append(("Notebooks", []))
            sections[-1][1].append(line)
    return sections


def arrange(names: list[str]) -> list[tuple[str, list[str]]]:
    """The given notebooks grouped and ordered as in the order file; unlisted ones last."""
    sections, listed = [], set()
    for title, members in read_order():
        present = [n for n in members if n in names]
        listed.update(members)
        if present:
            sections.append((title, present))
    rest = sorted(n for n in names if n not in listed)
    if rest:
        sections.append(("More notebooks", rest))
    return sections


def first_markdown(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            return cell.source
    return ""


_LABEL = re.compile(r"^\*\*([^*]+?)\.?\*\*\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z*_`$\[])")


def summary(nb, name: str) -> tuple[str, str, str]:
    """(title, label, one line) from the notebook's first markdown cell.

    The title is its first `# ` heading; the label a leading bold phrase such as
    "Workshop notebook 1 of 3"; the line the first sentence of the first
    paragraph (two when the first is short), a final colon made a full stop.
    """
    text = first_markdown(nb)
    title = name.replace("_", " ")
    m = re.search(r"^#\s+(.+)$", text, re.M)
    if m:
        title = m.group(1).strip()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith(("#", "$$"))]
    if not paragraphs:
        return title, "", ""
    para = " ".join(paragraphs[0].split())
    label = ""
    m = _LABEL.match(para)
    if m:
        label, para = m.group(1).strip(), para[m.end():]
    sentences = _SENTENCE_END.split(para)
    line = sentences[0]
    if len(line) < 90 and len(sentences) > 1:
        line += " " + sentences[1]
    line = line.strip()
    if line.endswith(":"):
        line = line[:-1] + "."
    return title, label, line


def inline_markdown(text: str) -> str:
    """Markdown of one line to HTML, without the surrounding <p>."""
    from nbconvert.filters.markdown import markdown2html

    out = markdown2html(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


# ---------------------------------------------------------------- execute and render


def executed(path: Path, force: bool) -> tuple[object | None, str, list]:
    """(executed notebook or None, how it was obtained, problems)."""
    import nbcheck
    import nbrun

    copy = nbrun.OUT_DIR / f"{path.stem}.ipynb"
    if not force and copy.exists() and copy.stat().st_mtime >= path.stat().st_mtime:
        nb = nbformat.read(copy, as_version=4)
        problems = nbcheck.find_problems(nb)
        if not problems:
            return nb, f"reused {copy.relative_to(REPO)}", []
        print(f"  {copy.relative_to(REPO)} has problems ({', '.join(p.kind for p in problems)}); executing again")
    result = nbrun.execute(path, out_path=copy, name=path.stem)
    how = f"executed in {result.seconds:.0f} s -> {copy.relative_to(REPO)}"
    return (result.nb if result.completed else None), how, result.problems


def svg_count_in_outputs(nb) -> int:
    import nbcheck

    return sum(1 for _, c in nbcheck.code_cells(nb) for o in c.get("outputs") or [] if nbcheck.output_has_svg(o))


NAV_CSS = """
<style>
.nn-site-nav { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; padding: 8px 16px;
  border-bottom: 1px solid #ddd; background: #f7f7f7; display: flex; gap: 1.5em; }
.nn-site-nav a { color: #1a5fb4; text-decoration: none; }
.nn-site-nav a:hover { text-decoration: underline; }
.nn-site-nav .spacer { flex: 1; }
</style>
"""


def nav_html(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    parts = ['<nav class="nn-site-nav"><a href="index.html">&#8593; All notebooks</a><span class="spacer"></span>']
    if prev:
        parts.append(f'<a href="{prev[0]}.html">&#8592; {html.escape(prev[1])}</a>')
    if nxt:
        parts.append(f'<a href="{nxt[0]}.html">{html.escape(nxt[1])} &#8594;</a>')
    parts.append("</nav>")
    return "".join(parts)


def copy_mathjax(out: Path) -> str:
    """Copy MathJax's parts into out/mathjax/ (again when the version changed); returns the version."""
    package = MATHJAX_SRC / "package.json"
    if not package.exists():
        raise SystemExit(f"error: {MATHJAX_SRC} is missing; run `make html` (it runs npm ci in tools/mathjax)")
    version = json.loads(package.read_text())["version"]
    target = out / "mathjax"
    stamp = target / ".version"
    if stamp.exists() and stamp.read_text() == version:
        return version
    shutil.rmtree(target, ignore_errors=True)
    for part in MATHJAX_PARTS:
        src, dst = MATHJAX_SRC / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)
    stamp.write_text(version)
    return version


def render(nb, title: str, nav: str) -> str:
    from nbconvert import HTMLExporter

    # No require.js (only ipywidgets need it; it would come from a CDN).
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL, require_js_url="")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = body.replace('<script src=""></script>', "", 1)
    body = body.replace("</head>", NAV_CSS + "</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + nav, body, count=1)
    return body


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.7em; margin-bottom: .2em; }}
h2 {{ font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }}
ol {{ padding-left: 1.4em; }}
li {{ margin: .7em 0; }}
li a {{ font-weight: 600; color: #1a5fb4; text-decoration: none; }}
li a:hover {{ text-decoration: underline; }}
.label {{ color: #666; font-size: .9em; }}
code {{ background: #f2f2f2; padding: 0 .2em; border-radius: 3px; }}
footer {{ margin-top: 3em; color: #777; font-size: .85em; }}
</style>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{ tex2jax: {{ inlineMath: [['$','$'], ['\\\\(','\\\\)']], processEscapes: true }} }});
</script>
<script src="{mathjax}" defer></script>
</head>
<body>
<h1>{title}</h1>
<p>Jupyter notebooks in Rust (the evcxr kernel) backed by the <code>nnlib</code> crate, shown here executed,
with their outputs and plots. To run them yourself: <code>make lab</code>.</p>
{sections}
<footer>Generated by <code>make html</code> (tools/render_html.py) on {date}.</footer>
</body>
</html>
"""


def index_html(sections: list[tuple[str, list[str]]], info: dict[str, tuple[str, str, str]]) -> str:
    parts = []
    for section, names in sections:
        parts.append(f"<h2>{html.escape(section)}</h2>\n<ol>")
        for name in names:
            title, label, line = info[name]
            label_html = f' <span class="label">({html.escape(label)})</span>' if label else ""
            parts.append(
                f'<li><a href="{name}.html">{inline_markdown(title)}</a>{label_html}<br>{inline_markdown(line)}</li>'
            )
        parts.append("</ol>")
    return INDEX_TEMPLATE.format(
        title=html.escape(SITE_TITLE),
        mathjax=MATHJAX_URL,
        sections="\n".join(parts),
        date=time.strftime("%Y-%m-%d %H:%M"),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebook stems (default: all of notebooks/ not starting with _)")
    ap.add_argument("--force", action="store_true", help="execute every notebook even when a fresh executed copy exists")
    ap.add_argument("--out", default=str(REPO / "site"), help="output folder (default site/)")
    args = ap.parse_args()

    all_names = sorted(p.stem for p in NB_DIR.glob("*.ipynb") if not p.name.startswith("_"))
    names = args.names or all_names
    missing = [n for n in names if not (NB_DIR / f"{n}.ipynb").exists()]
    if missing:
        print(f"error: no such notebook in {NB_DIR}: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not names:
        print(f"error: no notebooks in {NB_DIR}", file=sys.stderr)
        return 1
    sections = arrange(names)
    ordered = [n for _, members in sections for n in members]
    titles = {n: summary(nbformat.read(NB_DIR / f"{n}.ipynb", as_version=4), n) for n in ordered}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"MathJax {copy_mathjax(out)} -> {out / 'mathjax'}")

    failed: list[str] = []
    rows: list[tuple[str, float, str]] = []
    for i, name in enumerate(ordered):
        start = time.monotonic()
        print(f"--- {name}")
        nb, how, problems = executed(NB_DIR / f"{name}.ipynb", args.force)
        print(f"  {how}")
        if problems or nb is None:
            import nbcheck

            print(nbcheck.format_report(name, problems, nb), file=sys.stderr)
            failed.append(name)
            rows.append((name, time.monotonic() - start, "FAILED (execution)"))
            if nb is None:
                continue
        prev = (ordered[i - 1], titles[ordered[i - 1]][0]) if i > 0 else None
        nxt = (ordered[i + 1], titles[ordered[i + 1]][0]) if i + 1 < len(ordered) else None
        page = render(nb, titles[name][0], nav_html(prev, nxt))
        target = out / f"{name}.html"
        target.write_text(page, encoding="utf-8")
        want, got = svg_count_in_outputs(nb), page.count("<svg")
        if want and got < want:
            print(f"  error: {target} has {got} <svg> but the notebook's outputs have {want}", file=sys.stderr)
            failed.append(name)
            rows.append((name, time.monotonic() - start, "FAILED (plots lost)"))
            continue
        print(f"  wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target} ({len(page) // 1024} KiB, {want} plot(s) inline)")
        if name not in failed:
            rows.append((name, time.monotonic() - start, "ok"))

    index = out / "index.html"
    index.write_text(index_html(sections, titles), encoding="utf-8")
    print(f"wrote {index.relative_to(REPO) if index.is_relative_to(REPO) else index}")

    width = max(len("notebook"), *(len(n) for n, _, _ in rows))
    print(f"\n{'notebook':<{width}}  {'seconds':>7}  result")
    for n, s, r in rows:
        print(f"{n:<{width}}  {s:7.1f}  {r}")
    if failed:
        print(f"html: FAILED for {', '.join(dict.fromkeys(failed))}", file=sys.stderr)
        return 1
    print(f"html: {len(ordered)} notebook(s) rendered to {out}/ (open {index})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
