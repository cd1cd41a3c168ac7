/* a comment with a brace { that the check must not count */
static long widen(long x);
long widen(long x) { return x + 1; }
