/* form: the data-driven forms of assets/forms/ (婚育户一件事 first) and their validation.
 * Pure: the caller reads the files and hands over their text.
 *
 * A form has services (marriage always; maternity and household move on choice), pages that
 * belong to a service, and fields: id, labels in zh-CN and en, type (text, choice, date,
 * date_or_long, phone, id_number, address, checkbox), source (card or typed), required, max
 * length, rules (marriage_age, card_valid, sex_matches_id) and visible_if (another field's
 * value: "equals" one, or "in" a list). Each service names the department it goes to
 * ("department": civil_affairs, public_security, health; "department_name" in both
 * languages), kept in the record's "items". Form-wide checks: different_persons, man_and_woman. Choices come from the code
 * tables of assets/codes/codes.json. Every error names the field and says what to do, in both
 * languages. A changed form needs no new binary. */
#ifndef DOMAIN_FORM_H
#define DOMAIN_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_FIELD_MAX 1000 /* a field's "max" (characters) at most */

struct form;

#define FORM_VALUES_MAX 128

/* Values by field id. Strings are borrowed (in the session arena). */
struct form_values {
    const char *key[FORM_VALUES_MAX];
    const char *val[FORM_VALUES_MAX];
    int n;
};

struct form_error {
    char field[48];
    char message[2][320]; /* [0] zh-CN, [1] en */
};

/* The version of the form's notice on personal data ("notice": {"version"}), which each party's
 * consent names; "" when the form has none. */
const char *form_notice_version(const struct form *f);
/* Parses a form and the code tables. NULL with the reason in err. */
struct form *form_load(const char *form_json, const char *codes_json, char *err, size_t size);
void form_free(struct form *f);

void form_values_set(struct form_values *v, const char *key, const char *val);
const char *form_value(const struct form_values *v, const char *key);

/* Validates the values for the chosen services (NULL-terminated ids; marriage is implied) as
 * of today (yyyymmdd). Stores at most max errors; returns how many there are. */
int form_validate(const struct form *f, const struct form_values *v, const char *const *services,
                  int today, struct form_error *errs, int max);
/* The record to store and send: {"form","version","services","items","values"}: the chosen
 * services, each item with its department, and the visible values only (malloc'd JSON; the caller clears and frees it). */
char *form_record(const struct form *f, const struct form_values *v, const char *const *services);

/* Walking the form for the screens (lang: "zh-CN" or "en"). Strings are the form's: valid
 * until form_free. */
struct form_field_info {
    const char *id, *type, *codes, *label;
    bool from_card; /* filled from the ID card, not typed */
    bool required;
    int max; /* characters; 0: the type's own limit */
};
int form_page_count(const struct form *f);
const char *form_page_id(const struct form *f, int page);
const char *form_page_service(const struct form *f, int page);
const char *form_page_title(const struct form *f, int page, const char *lang);
int form_field_count(const struct form *f, int page);
int form_field_info(const struct form *f, int page, int field, const char *lang,
                    struct form_field_info *out);
bool form_field_visible(const struct form *f, int page, int field, const struct form_values *v);
/* The fields whose value this one can take with one touch ("same_as": [{"field", "label"}]:
 * 同男方证件住址, 同男方电话): the i-th's field id and its label, or NULL past the last. */
const char *form_field_same_as(const struct form *f, int page, int field, int i, const char *lang,
                               const char **label);
/* A date value as a citizen reads it: 19950128 → 1995年1月28日 (zh-CN) or 28 January 1995
 * (en); anything else (长期, half typed) as it is. */
void form_date_text(const char *value, const char *lang, char *out, size_t cap);
/* A code table: how many entries, and entry i's code and label. */
int form_code_count(const struct form *f, const char *table);
const char *form_code_at(const struct form *f, const char *table, int i, const char *lang,
                         const char **label);
/* The label of a code ("" when unknown). */
const char *form_code_label(const struct form *f, const char *table, const char *code,
                            const char *lang);
/* The optional services (not "always"): count, and service i's id and label. */
int form_service_count(const struct form *f);
/* Service i's department as the citizen reads it (民政部门, 公安机关, 卫生健康部门). */
const char *form_service_department(const struct form *f, int i, const char *lang);
/* The form's title (婚育户一件事, 结婚落户一件事), the line under it on home, and its id. */
const char *form_title(const struct form *f, const char *lang);
const char *form_subtitle(const struct form *f, const char *lang);
const char *form_id(const struct form *f);
/* Narrows the form to one of its "variants" ({"NAME": {"title", "subtitle", "services"}}: a
 * bundle of fewer services, such as 结婚落户一件事): the services it does not list go, with
 * their pages; its title and id become the variant's. The form's own id keeps it whole. 0, or
 * -1 when the form has no such variant (the form is left as it was). */
int form_use_variant(struct form *f, const char *name);
const char *form_service_at(const struct form *f, int i, const char *lang, const char **label,
                            bool *always);

#endif
