/* rules: see rules.h. */
#include "rules.h"

#include <ctype.h>
#include <string.h>

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char rules_idnum_check_char(const char *first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weights[i];
    return check_chars[sum % 11];
}

static bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m) {
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool rules_date_valid(int v) {
    int y = v / 10000, m = v / 100 % 100, d = v % 100;
    return y >= 1800 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

int rules_date_parse(const char *s) {
    char digits[9];
    size_t n = 0;
    size_t len = strlen(s);
    if (len == 8) {
        memcpy(digits, s, 8);
        n = 8;
    } else if (len == 10 && s[4] == '-' && s[7] == '-') {
        memcpy(digits, s, 4);
        memcpy(digits + 4, s + 5, 2);
        memcpy(digits + 6, s + 8, 2);
        n = 8;
    }
    if (n != 8)
        return -1;
    int v = 0;
    for (int i = 0; i < 8; i++) {
        if (!isdigit((unsigned char)digits[i]))
            return -1;
        v = v * 10 + (digits[i] - '0');
    }
    return rules_date_valid(v) ? v : -1;
}

enum idnum_err rules_idnum_check(const char *id, int today, struct idnum_info *out) {
    if (strlen(id) != 18)
        return IDNUM_BAD_FORMAT;
    for (int i = 0; i < 17; i++) {
        if (!isdigit((unsigned char)id[i]))
            return IDNUM_BAD_FORMAT;
    }
    char last = (char)toupper((unsigned char)id[17]);
    if (!isdigit((unsigned char)last) && last != 'X')
        return IDNUM_BAD_FORMAT;
    int province = (id[0] - '0') * 10 + (id[1] - '0');
    if (province < 11 || province > 82)
        return IDNUM_BAD_REGION;
    int birth = 0;
    for (int i = 6; i < 14; i++)
        birth = birth * 10 + (id[i] - '0');
    if (!rules_date_valid(birth) || birth > today)
        return IDNUM_BAD_DATE;
    if (rules_idnum_check_char(id) != last)
        return IDNUM_BAD_CHECK;
    if (out) {
        out->birth = birth;
        out->male = (id[16] - '0') % 2 == 1;
    }
    return IDNUM_OK;
}

/* 18 characters, 17 digits then a digit or X matching the GB 11643 check. */
static bool check_char_ok(const char *id) {
    if (strlen(id) != 18)
        return false;
    for (int i = 0; i < 17; i++)
        if (!isdigit((unsigned char)id[i]))
            return false;
    return rules_idnum_check_char(id) == (char)toupper((unsigned char)id[17]);
}

bool rules_card_number_ok(enum card_kind kind, const char *number, int today) {
    switch (kind) {
    case CARD_KIND_RESIDENT:
        return rules_idnum_check(number, today, NULL) == IDNUM_OK;
    case CARD_KIND_HKMT: {
        if (!check_char_ok(number) || (strncmp(number, "810000", 6) && strncmp(number, "820000", 6) &&
                                       strncmp(number, "830000", 6)))
            return false;
        int birth = 0;
        for (int i = 6; i < 14; i++)
            birth = birth * 10 + (number[i] - '0');
        return rules_date_valid(birth) && birth <= today;
    }
    case CARD_KIND_FOREIGN_2017:
        if (strlen(number) != 15)
            return false;
        for (int i = 0; i < 15; i++)
            if (i < 3 ? !isupper((unsigned char)number[i]) : !isdigit((unsigned char)number[i]))
                return false;
        return true;
    case CARD_KIND_FOREIGN_2023:
        return number[0] == '9' && check_char_ok(number);
    }
    return false;
}

int rules_age(int birth, int on) {
    int by = birth / 10000, bm = birth / 100 % 100, bd = birth % 100;
    int oy = on / 10000, om = on / 100 % 100, od = on % 100;
    /* the birthday this year: 29 February becomes 1 March in common years */
    if (bm == 2 && bd == 29 && !leap(oy)) {
        bm = 3;
        bd = 1;
    }
    int age = oy - by;
    if (om < bm || (om == bm && od < bd))
        age--;
    return age;
}

bool rules_marriage_age_ok(bool male, int birth, int on) {
    return rules_age(birth, on) >= (male ? 22 : 20);
}

bool rules_card_valid_on(const char *valid_from, const char *valid_to, int on) {
    int from = rules_date_parse(valid_from);
    if (from < 0 || on < from)
        return false;
    if (strcmp(valid_to, "长期") == 0)
        return true;
    int to = rules_date_parse(valid_to);
    return to >= 0 && on <= to;
}

bool rules_same_person(const char *a, const char *b) {
    return strlen(a) == 18 && strcasecmp(a, b) == 0;
}
