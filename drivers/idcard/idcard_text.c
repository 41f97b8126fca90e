/* idcard_text: see idcard_text.h. */
#include "idcard_text.h"

#include <string.h>

#include "utf8.h"

struct field {
    size_t off, bytes;
    size_t dst; /* offset of the destination in struct idcard_info */
    size_t dst_size;
};

#define F(off, bytes, member)                                                                      \
    { off, bytes, offsetof(struct idcard_info, member), sizeof(((struct idcard_info *)0)->member) }

static const struct field resident[] = {
    F(0, 30, name),        F(30, 2, sex_code),     F(32, 4, ethnicity_code),
    F(36, 16, birth),      F(52, 70, address),     F(122, 36, id_number),
    F(158, 30, authority), F(188, 16, valid_from), F(204, 16, valid_to),
};

static const struct field hkmt[] = {
    F(0, 30, name),          F(30, 2, sex_code),     F(36, 16, birth),       F(52, 70, address),
    F(122, 36, id_number),   F(158, 30, authority),  F(188, 16, valid_from), F(204, 16, valid_to),
    F(220, 18, pass_number), F(238, 4, issue_count),
};

static const struct field foreign17[] = {
    F(0, 120, name_en), F(120, 2, sex_code),    F(122, 30, id_number), F(152, 6, nationality),
    F(158, 30, name),   F(188, 16, valid_from), F(204, 16, valid_to),  F(220, 16, birth),
};

static const struct field foreign23[] = {
    F(0, 120, name_en),     F(120, 2, sex_code),  F(122, 36, id_number), F(158, 30, name),
    F(188, 16, valid_from), F(204, 16, valid_to), F(220, 16, birth),
};

#define MARKER_OFF 248

static const struct field *layout(enum idcard_type t, size_t *n) {
    switch (t) {
    case IDCARD_HKMT_RESIDENCE:
        *n = sizeof hkmt / sizeof hkmt[0];
        return hkmt;
    case IDCARD_FOREIGN_PERMANENT:
        *n = sizeof foreign17 / sizeof foreign17[0];
        return foreign17;
    case IDCARD_FOREIGN_PERMANENT_23:
        *n = sizeof foreign23 / sizeof foreign23[0];
        return foreign23;
    default:
        *n = sizeof resident / sizeof resident[0];
        return resident;
    }
}

/* UCS-2LE to UTF-8, trailing spaces trimmed; an unpaired surrogate becomes U+FFFD. */
static void ucs2_to_utf8(const uint8_t *p, size_t bytes, char *dst, size_t size) {
    size_t units = bytes / 2;
    while (units > 0 && p[2 * units - 2] == 0x20 && p[2 * units - 1] == 0)
        units--;
    size_t o = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t cp = (uint32_t)p[2 * i] | ((uint32_t)p[2 * i + 1] << 8);
        if (cp == 0)
            break;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;
        char tmp[4];
        size_t k = utf8_encode(cp, tmp);
        if (o + k + 1 > size)
            break;
        memcpy(dst + o, tmp, k);
        o += k;
    }
    dst[o] = 0;
}

static int utf8_to_ucs2(const char *s, uint8_t *p, size_t bytes) {
    size_t units = bytes / 2, u = 0, i = 0, len = strlen(s);
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        if (cp > 0xFFFF || u == units)
            return IDCARD_TEXT_TOO_LONG;
        p[2 * u] = (uint8_t)(cp & 0xFF);
        p[2 * u + 1] = (uint8_t)(cp >> 8);
        u++;
    }
    for (; u < units; u++) {
        p[2 * u] = 0x20;
        p[2 * u + 1] = 0;
    }
    return IDCARD_TEXT_OK;
}

int idcard_text_decode(const uint8_t *block, size_t len, struct idcard_info *out) {
    if (len < IDCARD_TEXT_LEN)
        return IDCARD_TEXT_SHORT;
    memset(out, 0, sizeof *out);
    switch (block[MARKER_OFF]) {
    case ' ':
        out->type = IDCARD_RESIDENT;
        break;
    case 'J':
        out->type = IDCARD_HKMT_RESIDENCE;
        break;
    case 'I':
        out->type = IDCARD_FOREIGN_PERMANENT;
        break;
    case 'Y':
        out->type = IDCARD_FOREIGN_PERMANENT_23;
        break;
    default:
        return IDCARD_TEXT_BAD_TYPE;
    }
    size_t n;
    const struct field *f = layout(out->type, &n);
    for (size_t i = 0; i < n; i++)
        ucs2_to_utf8(block + f[i].off, f[i].bytes, (char *)out + f[i].dst, f[i].dst_size);
    return IDCARD_TEXT_OK;
}

int idcard_text_encode(const struct idcard_info *info, uint8_t block[IDCARD_TEXT_LEN]) {
    for (size_t i = 0; i < IDCARD_TEXT_LEN; i += 2) {
        block[i] = 0x20;
        block[i + 1] = 0;
    }
    static const char marker[] = {' ', 'J', 'I', 'Y'};
    block[MARKER_OFF] = (uint8_t)marker[info->type];
    size_t n;
    const struct field *f = layout(info->type, &n);
    for (size_t i = 0; i < n; i++) {
        int rc = utf8_to_ucs2((const char *)info + f[i].dst, block + f[i].off, f[i].bytes);
        if (rc != IDCARD_TEXT_OK)
            return rc;
    }
    return IDCARD_TEXT_OK;
}

const char *idcard_sex_name(const char *code) {
    if (!strcmp(code, "1"))
        return "男";
    if (!strcmp(code, "2"))
        return "女";
    if (!strcmp(code, "0"))
        return "未知";
    if (!strcmp(code, "9"))
        return "未说明";
    return NULL;
}

/* GB/T 3304, as the card shows it (without 族). */
static const char *const ethnicities[] = {
    "汉",     "蒙古",   "回",       "藏",     "维吾尔",   "苗",   "彝",     "壮",
    "布依",   "朝鲜",   "满",       "侗",     "瑶",       "白",   "土家",   "哈尼",
    "哈萨克", "傣",     "黎",       "傈僳",   "佤",       "畲",   "高山",   "拉祜",
    "水",     "东乡",   "纳西",     "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
    "羌",     "布朗",   "撒拉",     "毛南",   "仡佬",     "锡伯", "阿昌",   "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克",   "德昂", "保安",   "裕固",
    "京",     "塔塔尔", "独龙",     "鄂伦春", "赫哲",     "门巴", "珞巴",   "基诺",
};

const char *idcard_ethnicity_name(const char *code) {
    if (strlen(code) != 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9')
        return NULL;
    int n = (code[0] - '0') * 10 + (code[1] - '0');
    if (n >= 1 && n <= 56)
        return ethnicities[n - 1];
    if (n == 97)
        return "其他";
    if (n == 98)
        return "外国血统中国籍人士";
    return NULL;
}

const char *idcard_type_name(enum idcard_type t) {
    switch (t) {
    case IDCARD_RESIDENT:
        return "resident";
    case IDCARD_HKMT_RESIDENCE:
        return "hkmt_residence";
    default:
        return "foreign_permanent";
    }
}
