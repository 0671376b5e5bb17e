# shellcheck shell=bash
# A guide's worked examples, run by its grader (lab 4's and lab 6's
# kdlab:docs tests), so that the docs cannot drift from what the tools
# print. An example is fenced blocks after HTML comments in the guide
# ($GUIDE, which the grader sets): "<!-- guest: NAME -->" (what the guest
# runs), and "<!-- KIND: NAME -->" (gdb, crash or drgn: the session, its
# input lines after the tool's prompt). In a transcript, text between ‹ and ›
# may be anything, and "..." lines and blank lines are skipped.

# doc_block KIND NAME: the lines of the first fenced block after
# "<!-- KIND: NAME -->".
doc_block() {
	awk -v mark="<!-- $1: $2 -->" '
		$0 == mark { want = 1; next }
		want && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }
	' "$GUIDE"
}

# doc_patterns KIND NAME: the transcript as extended regular expressions,
# one per line, for match_in_order. An input line is what the tool echoes
# for it: gdb's "+CMD" (set trace-commands on) for "(gdb) CMD", the marker
# that the crash runner prints for "crash> CMD". Runs of blanks are one
# space.
doc_patterns() {
	doc_block "$1" "$2" | awk -v kind="$1" '
		{
			gsub(/[ \t]+/, " "); sub(/^ /, ""); sub(/ $/, "")
			if ($0 == "" || $0 == "...") next
			if (kind == "crash" && substr($0, 1, 7) == "crash> ") { print "^kdlab-next-command$"; next }
			if ((kind == "gdb" || kind == "replay") && substr($0, 1, 6) == "(gdb) ") $0 = "+" substr($0, 7)
			out = ""
			while ($0 != "") {
				if (index($0, "‹") == 1) {
					end = index($0, "›")
					if (!end) { out = out "\\‹"; $0 = substr($0, 2); continue }
					out = out ".*"; $0 = substr($0, end + length("›")); continue
				}
				c = substr($0, 1, 1); $0 = substr($0, 2)
				if (index("\\^$.[]|()*+?{}", c)) c = "\\" c
				out = out c
			}
			print "^" out "$"
		}'
}

# match_in_order PATTERNS OUTPUT: each pattern matches a line of the
# output, in order (blanks folded as in doc_patterns).
match_in_order() {
	awk '
		NR == FNR { pat[n++] = $0; next }
		{ gsub(/\r/, ""); gsub(/[ \t]+/, " "); sub(/^ /, ""); sub(/ $/, "") }
		i < n && $0 ~ pat[i] { i++ }
		END { if (i < n) { print "no line of the output matches: " pat[i]; exit 1 } }
	' "$1" "$2"
}
