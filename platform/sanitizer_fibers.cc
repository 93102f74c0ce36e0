// edgevp: SystemC's coroutine switches made right for AddressSanitizer (sanitizer build, GCC).
//
// Debian's SystemC 2.3.4 tells ASan about every switch between its coroutines' stacks
// (__sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber, weak references in
// sc_cor_qt.cpp), but for the main coroutine, whose stack it did not allocate, it passes a null
// stack of size 0, and it never asks ASan for the stack it leaves. After the first switch back,
// ASan takes the main thread's stack to end at address 0: it then ignores every
// __asan_handle_no_return ("ASan is ignoring requested __asan_handle_no_return ... False positive
// error reports may follow"), so the frames an exception unwinds stay poisoned, and a later call
// on the main stack is reported as stack-use-after-scope (`edgevp --cim0.impl=rtl BAD.elf`).
//
// This file defines both functions in the executable, ahead of ASan's runtime (libasan.so) in
// symbol lookup. They call ASan's own, with one correction: the stack left at the first switch
// (the main thread's, as ASan reports it) is remembered, and a switch to "a null stack of size 0"
// goes to that stack. (This relies on SystemC 2.3.4's sc_cor_qt calling finish on entry to every
// coroutine, the first time from the main stack, which is what its source does.) Built only into the GCC sanitizer build's executables (CMakeLists.txt:
// EDGEVP_SANITIZER_SOURCES); clang links its ASan runtime statically, where the two functions
// cannot be interposed this way.
#include <dlfcn.h>

#include <cstddef>

namespace {

const void* main_bottom = nullptr;
std::size_t main_size = 0;

template <typename Fn>
Fn asan_function(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, std::size_t size) {
  using fn = void (*)(void**, const void*, std::size_t);
  static const fn asan = asan_function<fn>("__sanitizer_start_switch_fiber");
  if (bottom == nullptr && size == 0 && main_bottom != nullptr) {  // SystemC's main coroutine
    bottom = main_bottom;
    size = main_size;
  }
  if (asan != nullptr) asan(fake_stack_save, bottom, size);
}

extern "C" void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** old_bottom, std::size_t* old_size) {
  using fn = void (*)(void*, const void**, std::size_t*);
  static const fn asan = asan_function<fn>("__sanitizer_finish_switch_fiber");
  const void* bottom = nullptr;
  std::size_t size = 0;
  if (asan != nullptr) asan(fake_stack_save, &bottom, &size);
  if (main_bottom == nullptr && bottom != nullptr) {  // the first switch leaves the main thread's stack
    main_bottom = bottom;
    main_size = size;
  }
  if (old_bottom != nullptr) *old_bottom = bottom;
  if (old_size != nullptr) *old_size = size;
}
