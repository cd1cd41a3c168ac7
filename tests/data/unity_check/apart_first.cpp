// The same file-local name as apart_second.cpp, in a namespace that file never looks into.
namespace first_tests {
namespace {
int helper(int x) { return x; }
}  // namespace
}  // namespace first_tests
