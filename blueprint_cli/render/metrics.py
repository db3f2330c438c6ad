"""Text widths of DejaVu Sans (advance widths per 1000 em, from the font's hmtx table) and line wrapping.

Graphviz measures text itself; we estimate it to size and place boxes before Graphviz runs, so
the estimate errs on the wide side and unknown characters count as a full em.
"""

from __future__ import annotations

_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\xa0¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ–—‘’“”•…→←€'
_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838, 318, 401, 636, 636, 636, 636, 337, 500, 500, 1000, 471, 612, 838,
    361, 1000, 500, 500, 838, 401, 401, 500, 636, 636, 318, 500, 401, 471, 612, 969, 969, 969,
    531, 684, 684, 684, 684, 684, 684, 974, 698, 632, 632, 632, 632, 295, 295, 295, 295, 775,
    748, 787, 787, 787, 787, 787, 838, 787, 732, 732, 732, 732, 611, 605, 630, 613, 613, 613,
    613, 613, 613, 982, 550, 615, 615, 615, 615, 278, 278, 278, 278, 612, 634, 612, 612, 612,
    612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592, 500, 1000, 318, 318, 518, 518, 590,
    1000, 838, 838, 636
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838, 348, 456, 696, 696, 636, 696, 365, 500, 500, 1000, 564, 646, 838,
    415, 1000, 500, 500, 838, 438, 438, 500, 736, 636, 380, 500, 438, 564, 646, 1035, 1035,
    1035, 580, 774, 774, 774, 774, 774, 774, 1085, 734, 683, 683, 683, 683, 372, 372, 372, 372,
    838, 837, 850, 850, 850, 850, 850, 838, 850, 812, 812, 812, 812, 724, 738, 719, 675, 675,
    675, 675, 675, 675, 1048, 593, 678, 678, 678, 678, 343, 343, 343, 343, 687, 712, 687, 687,
    687, 687, 687, 838, 687, 712, 712, 712, 712, 652, 716, 652, 500, 1000, 380, 380, 657, 657,
    639, 1000, 838, 838, 696
)
REGULAR = dict(zip(_CHARS, _REGULAR))
BOLD = dict(zip(_CHARS, _BOLD))
SAFETY = 1.06  # renderers differ slightly (hinting, kerning); keep a margin


def text_width(text: str, *, size: float, bold: bool = False) -> float:
    """Estimated width in points of `text` set in DejaVu Sans at `size` points."""
    table = BOLD if bold else REGULAR
    return sum(table.get(ch, 1000) for ch in text) * size / 1000 * SAFETY


def wrap(text: str, *, width: float, size: float, bold: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width`; words longer than a line are split, never cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size=size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        *pieces, last = _split_word(word, width=width, size=size, bold=bold)
        lines.extend(pieces)
        if text_width(last, size=size, bold=bold) <= width:
            current = last
        else:  # a single character wider than a line
            lines.append(last)
    if current or not lines:
        lines.append(current)
    return lines


def _split_word(word: str, *, width: float, size: float, bold: bool) -> list[str]:
    """`word` cut into the longest prefixes that fit, in one pass (each piece at least one character)."""
    table = BOLD if bold else REGULAR
    pieces: list[str] = []
    start = 0
    units = 0
    for index, ch in enumerate(word):
        advance = table.get(ch, 1000)
        if index > start and (units + advance) * size / 1000 * SAFETY > width:
            pieces.append(word[start:index])
            start, units = index, 0
        units += advance
    pieces.append(word[start:])
    return pieces
