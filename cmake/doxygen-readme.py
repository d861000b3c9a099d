#!/usr/bin/env python3
"""Doxygen's input filter for README.md, the main page of the HTML docs.

Doxygen 1.9 gives a Markdown heading no id of its own and takes a link to a file as a reference
to a documented page, so the filter gives each heading GitHub's id ("## Data safety" gets
{#data-safety}, and [Data safety](#data-safety) works as on GitHub) and writes a link to a file of
the repository as its text and its path, e.g. "`ports/snapstate` (ports/README.md)". Code blocks
are left alone.
"""
import re
import sys

HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$")
FILE_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?![a-z]+:|#)([^)\s]+)\)")


def github_id(title):
    title = re.sub(r"[`*_]", "", title.lower())
    return re.sub(r"[^\w\- ]", "", title).replace(" ", "-")


def main():
    fenced = False
    with open(sys.argv[1], encoding="utf-8") as readme:
        for line in readme:
            if line.startswith("```"):
                fenced = not fenced
            elif not fenced:
                heading = HEADING.match(line)
                if heading:
                    hashes, title = heading.groups()
                    line = f"{hashes} {title} {{#{github_id(title)}}}\n"
                line = FILE_LINK.sub(r"\1 (\2)", line)
            sys.stdout.write(line)


if __name__ == "__main__":
    main()
