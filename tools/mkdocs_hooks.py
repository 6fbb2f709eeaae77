r"""mkdocs hook: search previews show formulas as text, not as TeX source.

The search index holds each section's HTML text, where arithmatex leaves
every formula as ``\(...\)`` or ``\[...\]`` source for MathJax to typeset
in the page; the search box shows that source raw
(``\(\max(\lVert A - P\rVert^2 ...``). After the build, this hook rewrites
the formulas of ``search/search_index.json`` into plain text
(``max(‖A - P‖^2 ...``). The pages themselves are untouched.

Registered in ``mkdocs.yml`` under ``hooks:``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Delta": "Δ", "Sigma": "Σ", "Phi": "Φ", "Omega": "Ω",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "vert": "|", "mid": "|",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "equiv": "≡", "sim": "∼",
    "times": "×", "cdot": "·", "cdots": "…", "ldots": "…", "dots": "…", "in": "∈",
    "sum": "Σ", "prod": "Π", "partial": "∂", "nabla": "∇", "infty": "∞", "sqrt": "√",
    "to": "→", "rightarrow": "→", "Rightarrow": "⇒", "Longleftrightarrow": "⇔", "iff": "⇔",
    "cap": "∩", "cup": "∪", "odot": "⊙", "otimes": "⊗", "pm": "±", "lfloor": "⌊", "rfloor": "⌋",
    "lceil": "⌈", "rceil": "⌉", "langle": "⟨", "rangle": "⟩", "top": "ᵀ", "prime": "′",
    "quad": " ", "qquad": " ", ",": " ", ";": " ", ":": " ", "!": "", " ": " ",
    "{": "{", "}": "}", "%": "%", "_": "_", "&": "&", "#": "#",
}
# commands whose braced argument is shown as it is
UNWRAP = ("text", "textbf", "textit", "mathrm", "mathbf", "mathit", "mathcal", "mathbb", "operatorname",
          "boldsymbol", "hat", "bar", "tilde", "vec", "underbrace", "overline", "mathsf", "mathtt")
# layout commands that print nothing
DROP = ("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
        "mathrel", "tfrac", "dfrac", "limits", "nolimits", "begin", "end")


def tex_to_text(tex):
    """A readable plain-text rendering of a TeX formula (for search previews only)."""
    text = re.sub(r"\\(?:begin|end)\{[a-z*]+\}", " ", tex).replace("&amp;", "&")
    for _ in range(4):  # innermost braces first: scripts and fractions nest
        text = re.sub(r"([_^])\{(\w)\}", r"\1\2", text)
        text = re.sub(r"([_^])\{([^{}]*)\}", r"\1(\2)", text)
        text = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\(?:%s)\b" % "|".join(UNWRAP), "", text)
    text = re.sub(r"\\(?:%s)\b" % "|".join(DROP), "", text)
    text = re.sub(r"\\\\", "; ", text)
    text = re.sub(r"\\([A-Za-z]+|.)", lambda m: SYMBOLS.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "").replace("&", "")
    return re.sub(r"\s+", " ", text).strip()


def _plain(text):
    return MATH.sub(lambda m: tex_to_text(m.group(1) if m.group(1) is not None else m.group(2)), text)


def on_post_build(config, **kwargs):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        for key in ("title", "text"):
            if key in doc:
                doc[key] = _plain(doc[key])
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
