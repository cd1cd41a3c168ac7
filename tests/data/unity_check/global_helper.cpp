// A file-local helper at global scope: every namespace of the batch sees it.
namespace {
long helper(long x) { return x - 1; }
}  // namespace
