/* Record ids: untagged UUIDv7, and ids bound to the kiosk that made them (UUIDv8 with a tag,
 * common/uuid.h), checked against a vector computed apart from this code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "uuid.h"

static void untagged(void **state) {
    (void)state;
    char id[UUID_STR_LEN];
    assert_int_equal(uuid_v7(1738000000123, id), 0);
    assert_int_equal(strlen(id), 36);
    assert_int_equal(id[14], '7');
    assert_true(strchr("89ab", id[19]) != NULL);
    int64_t ms = 0;
    assert_int_equal(uuid_record_owner(id, "YT-370602-01", &ms), UUID_UNTAGGED);
    assert_int_equal(ms, 1738000000123);
    /* no kiosk id: untagged too */
    assert_int_equal(uuid_record(1738000000123, "", id), 0);
    assert_int_equal(id[14], '7');
}

static void tagged(void **state) {
    (void)state;
    char a[UUID_STR_LEN], b[UUID_STR_LEN];
    assert_int_equal(uuid_record(1738000000123, "YT-370602-01", a), 0);
    assert_int_equal(uuid_record(1738000000123, "YT-370602-01", b), 0);
    assert_string_not_equal(a, b); /* 42 random bits apart */
    assert_int_equal(a[14], '8');
    int64_t ms = 0;
    assert_int_equal(uuid_record_owner(a, "YT-370602-01", &ms), UUID_MADE_BY);
    assert_int_equal(ms, 1738000000123);
    assert_int_equal(uuid_record_owner(a, "YT-370699-09", NULL), UUID_NOT_MADE_BY);
    assert_int_equal(uuid_record_owner(a, "YT-370602-1", NULL), UUID_NOT_MADE_BY);
    assert_int_equal(uuid_record_owner(a, NULL, NULL), UUID_NOT_MADE_BY);
    /* any change of the time or random part breaks the tag */
    char c[UUID_STR_LEN];
    memcpy(c, a, sizeof c);
    c[0] = c[0] == '0' ? '1' : '0';
    assert_int_equal(uuid_record_owner(c, "YT-370602-01", NULL), UUID_NOT_MADE_BY);
    memcpy(c, a, sizeof c);
    c[26] = c[26] == '0' ? '1' : '0';
    assert_int_equal(uuid_record_owner(c, "YT-370602-01", NULL), UUID_NOT_MADE_BY);
}

/* SHA-256("kiosk-record-id-1" 0 "YT-370602-01" 0 0194f00000008123 8456789a)[0:4], computed
 * with Python's hashlib */
static void vector(void **state) {
    (void)state;
    const char *id = "0194f000-0000-8123-8456-789a4e500927";
    assert_int_equal(uuid_record_owner(id, "YT-370602-01", NULL), UUID_MADE_BY);
    assert_int_equal(uuid_record_owner("0194f000-0000-8123-8456-789a4e500928", "YT-370602-01",
                                       NULL),
                     UUID_NOT_MADE_BY);
}

static void malformed(void **state) {
    (void)state;
    const char *bad[] = {NULL,
                         "",
                         "bad",
                         "0194F000-0000-8123-8456-789a4e500927", /* upper case */
                         "0194f000-0000-8123-c456-789a4e500927", /* variant 110 */
                         "0194f000-0000-4123-8456-789a4e500927", /* version 4 */
                         "0194f000-0000-8123-8456-789a4e50092",   /* short */
                         "0194f000-0000-8123-8456-789a4e5009270",
                         "0194f000+0000-8123-8456-789a4e500927",
                         "0194f000-0000-8123-8456-789a4e5009g7"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(uuid_record_owner(bad[i], "YT-370602-01", NULL), UUID_MALFORMED);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untagged),
        cmocka_unit_test(tagged),
        cmocka_unit_test(vector),
        cmocka_unit_test(malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
