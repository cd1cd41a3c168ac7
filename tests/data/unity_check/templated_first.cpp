// The clash is a template behind a defaulted template argument, an attribute and `static`.
#include <type_traits>
template <class T, class = std::enable_if_t<std::is_arithmetic_v<T>>>
[[nodiscard]] static T widen(T x) { return x; }
