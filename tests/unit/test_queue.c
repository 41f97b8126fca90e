/* Tests of the office queue (registry/queue.c over the SQLite storage): a record makes one
 * ticket however often it is sent; two windows serving different types call only their own;
 * appointments by slot with a walk-in after every N; a no-show only after three calls, then the
 * next; a transfer to another room lands in that room's queue, one to a window at that window
 * first; another office's windows see none of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "rstore_tmp.h"

#define NOW 1795400000LL /* 2026-11-23 in China */
static char dir[256];
static struct rstore *rs;
static int day;

static int setup(void **state) {
    (void)state;
    rs = rstore_tmp_open(dir, "test_queue");
    day = queue_day(NOW);
    assert_int_equal(rstore_window_put(rs, "370602", "1", "1号窗口", "结婚登记室", "marriage,joint", 2), 0);
    assert_int_equal(rstore_window_put(rs, "370602", "5", "5号窗口", "离婚登记室",
                                       "divorce_apply,divorce_withdraw,divorce_final", 0), 0);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    return rstore_tmp_close(rs, dir);
}

/* A check-in's ticket: queue number, type, slot (0: a walk-in), made at NOW + at. */
static void checkin(const char *office, const char *record, const char *queue_no,
                    const char *business, long long slot, long long at) {
    char json[400];
    snprintf(json, sizeof json,
             "{\"queue_no\":\"%s\",\"business\":\"%s\",\"room\":\"%s\",\"slot_start\":%lld,"
             "\"checked_in_at\":%lld}",
             queue_no, business, strncmp(business, "divorce", 7) ? "结婚登记室" : "离婚登记室", slot,
             NOW + at);
    cJSON *p = cJSON_Parse(json);
    assert_int_equal(queue_ticket_from_record(rs, "YT-1", office, "checkin", record, p, NOW), 0);
    assert_int_equal(queue_ticket_from_record(rs, "YT-1", office, "checkin", record, p, NOW), 1);
    cJSON_Delete(p);
}

/* The queue number window calls next ("" when none). */
static const char *call(const char *window) {
    static char q[16];
    long long id = 0;
    q[0] = 0;
    if (queue_call_next(rs, "370602", window, day, NOW + 100, &id) != QUEUE_OK)
        return q;
    cJSON *v = queue_view(rs, "370602", day), *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        if ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "id")) == id)
            snprintf(q, sizeof q, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(t, "queue_no")));
    }
    cJSON_Delete(v);
    return q;
}

static long long id_of(const char *queue_no) {
    long long id = -1;
    cJSON *v = queue_view(rs, "370602", day), *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "queue_no")), queue_no))
            id = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "id"));
    }
    cJSON_Delete(v);
    return id;
}

static void windows_call_their_types_in_order(void **state) {
    (void)state;
    checkin("370602", "r1", "A001", "marriage", NOW + 1800, 1);
    checkin("370602", "r2", "W001", "marriage", 0, 2);
    checkin("370602", "r3", "A002", "marriage", NOW + 600, 3); /* an earlier slot, later here */
    checkin("370602", "r4", "L001", "divorce_final", NOW + 900, 4);
    checkin("370602", "r5", "A003", "marriage", NOW + 2400, 5);
    checkin("370613", "r6", "A001", "marriage", NOW + 600, 6); /* another office's */
    /* window 5: divorces only */
    assert_string_equal(call("5"), "L001");
    assert_string_equal(call("5"), "");
    /* window 1: by slot, and a walk-in after every 2 appointments */
    assert_string_equal(call("1"), "A002");
    assert_string_equal(call("1"), "A001");
    assert_string_equal(call("1"), "W001");
    assert_string_equal(call("1"), "A003");
    assert_string_equal(call("1"), "");
    long long none = 0;
    assert_int_equal(queue_call_next(rs, "370602", "9", day, NOW, &none), QUEUE_NOT_FOUND);
    /* the other office's ticket is in its own queue only */
    cJSON *v = queue_view(rs, "370613", day);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(v, "tickets")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(v, "windows")), 0);
    cJSON_Delete(v);
}

static void no_show_after_three_calls(void **state) {
    (void)state;
    checkin("370602", "r1", "A001", "marriage", NOW + 600, 1);
    checkin("370602", "r2", "A002", "marriage", NOW + 1200, 2);
    assert_string_equal(call("1"), "A001");
    long long a1 = id_of("A001");
    assert_int_equal(queue_act(rs, "370602", day, a1, "no_show", NULL, NOW), QUEUE_REFUSED);
    assert_int_equal(queue_act(rs, "370602", day, a1, "recall", NULL, NOW), QUEUE_OK);
    assert_int_equal(queue_act(rs, "370602", day, a1, "no_show", NULL, NOW), QUEUE_REFUSED);
    assert_int_equal(queue_act(rs, "370602", day, a1, "recall", NULL, NOW), QUEUE_OK);
    assert_int_equal(queue_act(rs, "370602", day, a1, "no_show", NULL, NOW), QUEUE_OK);
    assert_string_equal(call("1"), "A002"); /* it moves on */
    assert_int_equal(queue_act(rs, "370602", day, id_of("A002"), "done", NULL, NOW), QUEUE_OK);
    assert_int_equal(queue_act(rs, "370602", day, id_of("A002"), "done", NULL, NOW), QUEUE_REFUSED);
    assert_int_equal(queue_act(rs, "370602", day, 999999, "done", NULL, NOW), QUEUE_NOT_FOUND);
}

static void transfers(void **state) {
    (void)state;
    checkin("370602", "r1", "A001", "marriage", NOW + 600, 1);
    checkin("370602", "r2", "L001", "divorce_apply", NOW + 900, 2);
    checkin("370602", "r3", "L002", "divorce_apply", NOW + 1200, 3);
    assert_string_equal(call("1"), "A001");
    /* a marriage ticket sent to the divorce room: that room's window calls it */
    assert_int_equal(queue_act(rs, "370602", day, id_of("A001"), "transfer", "room:离婚登记室", NOW),
                     QUEUE_OK);
    assert_string_equal(call("1"), "");
    assert_string_equal(call("5"), "A001"); /* in that room's queue by its slot */
    assert_string_equal(call("5"), "L001");
    /* to a window: called there before its own */
    assert_int_equal(queue_act(rs, "370602", day, id_of("L001"), "transfer", "window:1", NOW),
                     QUEUE_OK);
    assert_string_equal(call("5"), "L002");
    assert_string_equal(call("1"), "L001");
    assert_int_equal(queue_act(rs, "370602", day, id_of("L001"), "transfer", "nowhere", NOW),
                     QUEUE_REFUSED);
}

/* Where a ticket waits: those of its type before it, and the wait at today's service times. */
static void position_and_wait(void **state) {
    (void)state;
    checkin("370602", "r1", "A001", "marriage", NOW + 600, 1);
    checkin("370602", "r2", "A002", "marriage", NOW + 1200, 2);
    checkin("370602", "r3", "W001", "marriage", 0, 3);
    checkin("370602", "r4", "L001", "divorce_apply", NOW + 300, 4);
    int ahead = -1, wait = -1;
    assert_int_equal(queue_position(rs, "370602", day, "YT-1", "r3", &ahead, &wait), 0);
    assert_int_equal(ahead, 2); /* the two appointments, not the divorce */
    assert_int_equal(wait, 2 * QUEUE_SERVICE_MIN); /* one window serves marriages */
    assert_int_equal(queue_position(rs, "370602", day, "YT-1", "r1", &ahead, &wait), 0);
    assert_int_equal(ahead, 0);
    assert_int_equal(queue_position(rs, "370602", day, "YT-2", "r1", &ahead, &wait), 1);
    /* A001 served in 4 minutes: the wait follows today's time */
    assert_string_equal(call("1"), "A001");
    assert_int_equal(queue_act(rs, "370602", day, id_of("A001"), "done", NULL, NOW + 100 + 240),
                     QUEUE_OK);
    assert_int_equal(queue_position(rs, "370602", day, "YT-1", "r3", &ahead, &wait), 0);
    assert_int_equal(ahead, 1);
    assert_int_equal(wait, 4);
    assert_int_equal(queue_position(rs, "370602", day, "YT-1", "r1", &ahead, &wait), 1); /* done */
}

/* Two kiosks of one office that both gave A001: each ticket names the other kiosk, so the
 * console tells the clerk; the other numbers are not marked. */
static void same_number_from_two_kiosks(void **state) {
    (void)state;
    checkin("370602", "r1", "A001", "marriage", NOW + 60, 1);
    checkin("370602", "r2", "A002", "marriage", NOW + 120, 2);
    cJSON *p = cJSON_Parse("{\"queue_no\":\"A001\",\"business\":\"marriage\",\"slot_start\":0}");
    assert_int_equal(queue_ticket_from_record(rs, "YT-2", "370602", "checkin", "r9", p, NOW), 0);
    cJSON_Delete(p);
    cJSON *v = queue_view(rs, "370602", day), *t;
    int marked = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(v, "tickets")) {
        const char *q = cJSON_GetStringValue(cJSON_GetObjectItem(t, "queue_no"));
        const char *other = cJSON_GetStringValue(cJSON_GetObjectItem(t, "same_number_as"));
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(t, "kiosk"));
        if (!strcmp(q, "A001")) {
            assert_non_null(other);
            assert_string_equal(other, !strcmp(k, "YT-1") ? "YT-2" : "YT-1");
            marked++;
        } else {
            assert_null(other);
        }
    }
    assert_int_equal(marked, 2);
    cJSON_Delete(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(windows_call_their_types_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(no_show_after_three_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(transfers, setup, teardown),
        cmocka_unit_test_setup_teardown(position_and_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(same_number_from_two_kiosks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
