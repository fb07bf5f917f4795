#include "common.h"
Test(smoke, builds) { cr_assert_eq(1 + 1, 2); }
