namespace second_tests {
namespace {
long helper(long x) { return x + 1; }
}  // namespace
}  // namespace second_tests
