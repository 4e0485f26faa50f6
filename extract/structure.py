"""A tagged PDF's structure tree, read into typed objects: tables -> rows -> cells ->
paragraphs -> marked-content references (page, mcid).

Word's and LibreOffice's "tagged PDF" exports (and WeasyPrint's ``pdf_tags``) write the
document's own structure: ``Table`` -> ``TR`` -> ``TH``/``TD`` -> ``P``, linked to the
characters by marked-content ids (the ``mcid`` of each glyph, per page), with page
furniture marked ``Artifact`` outside the tree.

The tree is walked here with pdfminer (pdfplumber's own ``structure_tree`` drops empty
elements -- so an empty ``TD`` vanishes and a row seems to have fewer cells -- and loses the
page of a marked-content reference that names its own page). Nothing is interpreted: which
table is the plan's and whether the tree can be trusted is decided in ``extract/tagged.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# A malicious tree could be endless (cycles) or huge: walking stops at this many elements.
MAX_ELEMENTS = 500_000

# Grouping elements a table's rows may sit in.
ROW_GROUPS = ("THead", "TBody", "TFoot")
CELLS = ("TH", "TD")


@dataclass(frozen=True, order=True)
class MarkedRef:
    """One marked-content sequence: the glyphs of ``page`` whose mcid is ``mcid``."""

    page: int
    mcid: int


@dataclass
class Element:
    """A structure element as written: its type (role-mapped), the page it names, the
    marked content directly in it and its child elements, in the tree's order."""

    type: str
    page: int | None
    attributes: dict
    kids: list  # MarkedRef | Element, in order

    def refs(self) -> Iterator[MarkedRef]:
        """Every marked-content reference under the element, in the tree's order."""
        for kid in self.kids:
            if isinstance(kid, MarkedRef):
                yield kid
            else:
                yield from kid.refs()

    def children(self) -> list["Element"]:
        return [k for k in self.kids if isinstance(k, Element)]

    def find(self, kind: str) -> Iterator["Element"]:
        """Elements of ``kind`` under this one, not looking inside those found."""
        for child in self.children():
            if child.type == kind:
                yield child
            else:
                yield from child.find(kind)


@dataclass(frozen=True)
class TagCell:
    """A cell of a tagged PDF's table, as its structure tree has it."""

    kind: str  # TH | TD
    colspan: int
    paragraphs: tuple[tuple[MarkedRef, ...], ...]  # the cell's block children (P ...), in order
    tables: tuple["TagTable", ...] = ()  # tables nested in the cell (a band layout)

    @property
    def refs(self) -> tuple[MarkedRef, ...]:
        return tuple(r for p in self.paragraphs for r in p) + tuple(
            r for t in self.tables for r in t.refs)


@dataclass(frozen=True)
class TagRow:
    """A row of a tagged PDF's table."""

    cells: tuple[TagCell, ...]

    @property
    def refs(self) -> tuple[MarkedRef, ...]:
        return tuple(r for c in self.cells for r in c.refs)

    @property
    def width(self) -> int:
        """Columns the row spans (its cells' column spans added up)."""
        return sum(c.colspan for c in self.cells)

    @property
    def is_header(self) -> bool:
        return bool(self.cells) and all(c.kind == "TH" for c in self.cells)


@dataclass(frozen=True)
class TagTable:
    """A table of a tagged PDF's structure tree."""

    rows: tuple[TagRow, ...]

    @property
    def refs(self) -> tuple[MarkedRef, ...]:
        return tuple(r for row in self.rows for r in row.refs)


@dataclass(frozen=True)
class StructureTree:
    """The tables of a tagged PDF's structure tree, and how far it was read."""

    tables: tuple[TagTable, ...]  # top-level tables (not nested in a cell), in the tree's order
    tagged_pages: frozenset[int]  # pages some marked content of the tree is on
    elements: int  # elements read
    complete: bool = True  # False when the walk stopped at MAX_ELEMENTS
    problems: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------- reading


def read_structure(doc) -> StructureTree | None:
    """The tree of an open pdfminer ``PDFDocument``, or None when the PDF is not tagged."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    catalog = doc.catalog
    if "StructTreeRoot" not in catalog:
        return None
    root = resolve1(catalog["StructTreeRoot"])
    if not isinstance(root, dict) or "K" not in root:
        return None
    pages = {page.pageid: number for number, page in enumerate(PDFPage.create_pages(doc), start=1)}
    role_map = resolve1(root.get("RoleMap")) or {}
    walker = _Walker(pages, role_map if isinstance(role_map, dict) else {})
    top = walker.element({"S": _Name("Root"), "K": root["K"]}, None)
    tables = tuple(_table(t) for t in _top_tables(top))
    tagged = frozenset(r.page for r in top.refs())
    return StructureTree(tables, tagged, walker.count, walker.count < MAX_ELEMENTS, tuple(walker.problems))


class _Name:
    def __init__(self, name: str):
        self.name = name


class _Walker:
    def __init__(self, pages: dict, role_map: dict):
        self.pages = pages
        self.role_map = role_map
        self.count = 0
        self.seen: set[int] = set()
        self.problems: list[str] = []

    def element(self, obj: dict, inherited_page: int | None) -> Element:
        from pdfminer.pdftypes import resolve1

        self.count += 1
        page = self._page(obj, inherited_page)
        kind = self._type(obj)
        attributes = self._attributes(obj)
        node = Element(kind, page, attributes, [])
        kids = resolve1(obj.get("K")) if "K" in obj else []
        if not isinstance(kids, list):
            kids = [obj["K"]]
        for kid in kids:
            if self.count >= MAX_ELEMENTS:
                break
            self._kid(node, kid, page)
        return node

    def _kid(self, node: Element, kid, page: int | None) -> None:
        from pdfminer.pdftypes import PDFObjRef, resolve1

        if isinstance(kid, PDFObjRef):
            if kid.objid in self.seen:
                self.problems.append(f"structure element {kid.objid} is reached twice")
                return
            self.seen.add(kid.objid)
        obj = resolve1(kid)
        if isinstance(obj, int):
            if page is not None:
                node.kids.append(MarkedRef(page, obj))
            return
        if not isinstance(obj, dict):
            return
        if "MCID" in obj:  # a marked-content reference, which may name its own page
            ref_page = self._page(obj, page)
            mcid = resolve1(obj["MCID"])
            if ref_page is not None and isinstance(mcid, int):
                node.kids.append(MarkedRef(ref_page, mcid))
            return
        if "Obj" in obj:  # an object reference (an annotation, an image XObject): no text
            return
        node.kids.append(self.element(obj, page))

    def _page(self, obj: dict, inherited: int | None) -> int | None:
        ref = obj.get("Pg")
        if ref is None:
            return inherited
        return self.pages.get(getattr(ref, "objid", None), inherited)

    def _type(self, obj: dict) -> str:
        from pdfminer.pdftypes import resolve1

        name = _decode(resolve1(obj.get("S")))
        for _ in range(4):  # role maps may chain; a cycle stops here
            mapped = self.role_map.get(name)
            if mapped is None:
                break
            name = _decode(resolve1(mapped))
        return name

    def _attributes(self, obj: dict) -> dict:
        from pdfminer.pdftypes import resolve1

        found = {}
        value = resolve1(obj.get("A")) if "A" in obj else None
        for item in value if isinstance(value, list) else [value]:
            item = resolve1(item)
            if isinstance(item, dict):
                for key, v in item.items():
                    found[key] = resolve1(v)
        return found


def _decode(value) -> str:
    name = getattr(value, "name", value)
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return str(name) if name is not None else ""


def _top_tables(root: Element) -> Iterator[Element]:
    yield from root.find("Table")


def _table(element: Element) -> TagTable:
    rows = []
    for child in element.children():
        if child.type == "TR":
            rows.append(_row(child))
        elif child.type in ROW_GROUPS:
            rows += [_row(tr) for tr in child.children() if tr.type == "TR"]
    return TagTable(tuple(rows))


def _row(element: Element) -> TagRow:
    return TagRow(tuple(_cell(c) for c in element.children() if c.type in CELLS))


def _cell(element: Element) -> TagCell:
    paragraphs: list[tuple[MarkedRef, ...]] = []
    tables: list[TagTable] = []
    loose: list[MarkedRef] = []  # marked content directly in the cell
    for kid in element.kids:
        if isinstance(kid, MarkedRef):
            loose.append(kid)
            continue
        if loose:
            paragraphs.append(tuple(loose))
            loose = []
        if kid.type == "Table":
            tables.append(_table(kid))
            continue
        nested = list(kid.find("Table"))
        if nested:
            tables += [_table(t) for t in nested]
            continue
        paragraphs.append(tuple(kid.refs()))
    if loose:
        paragraphs.append(tuple(loose))
    colspan = element.attributes.get("ColSpan", 1)
    return TagCell(element.type, colspan if isinstance(colspan, int) and colspan > 0 else 1,
                   tuple(paragraphs), tuple(tables))


def read_tree(path, password: str | None) -> StructureTree | None:
    """The tree of the PDF at ``path``, or None when it is untagged or its tree cannot be
    read (the layout reading then reads it, as any untagged PDF; a PDF that cannot be opened
    at all is refused by the page reader, with its one-line reason). pdfminer's own parser,
    not pdfplumber: an untagged PDF costs only its catalog."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        with open(path, "rb") as handle:
            return read_structure(PDFDocument(PDFParser(handle), password=password or ""))
    except Exception:  # a damaged tree (or file) is no tree: the layout reading stands
        return None
