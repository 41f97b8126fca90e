/* kioskctl: the operator's tool (DESIGN.md §8), by a command table (git's builtin/): one file
 * per command group, every `kioskctl GROUP SUB --help` prints that command's usage and exits 0
 * before anything runs; a bad argument is named and exits 2. The commands:
 *
 *   kioskctl audit verify --state-dir DIR   checks the audit chain; names the first broken row
 *   kioskctl store stats --state-dir DIR    counts by table and sync state, as JSON
 *   kioskctl pki init DIR [--names LIST]    a CA, the registry's (with the hostnames and
 *                                           addresses of LIST) and an operator's certificate
 *   kioskctl pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]
 *                                           a kiosk's client certificate (key 0600) and the CA
 *   kioskctl pki verify CA.crt CERT.crt     chain and dates; prints the kiosk id and office
 *   kioskctl fleet [--json] --registry URL --pki DIR   every kiosk's last heartbeat (a table)
 *   kioskctl fleet updates [--kiosk ID] [--json] --registry URL --pki DIR   the update steps
 *   kioskctl appointments import FILE --registry URL --pki DIR
 *                                           sends {"appointments":[...]}, or a .csv file
 *                                           (see registry/appt_csv.h), with the operator
 *                                           certificate of DIR
 *   kioskctl records list [--json] [--kiosk ID] [--office CODE] [--limit N] --registry URL --pki
 * DIR what the registry received (no personal data) kioskctl command send KIOSK CMD [TEXT]
 * --registry URL --pki DIR queues sync, lock, unlock or notice TEXT (an empty notice clears it) for
 * a kiosk kioskctl command list [--kiosk ID] --registry URL --pki DIR the commands and what the
 * kiosks answered
 *
 *   kioskctl receipt verify TOKEN (--state-dir DIR | --pub BASE64URL | --registry URL --pki DIR)
 *                                           checks a receipt QR's token against the kiosk's
 *                                           key (its state directory, the key itself, or the
 *                                           keys the registry keeps from heartbeats); prints
 *                                           what it says (exit 1: forged or unknown)
 *   kioskctl declaration print RECORD (--out FILE.pdf | --printer NAME) [--assets DIR]
 *            --registry URL --pki DIR       the clerk's pre-filled 申请结婚登记声明书 of a joint
 *                                           application, one page per party (PDF, or CUPS)
 *   kioskctl keys new DIR NAME              an Ed25519 key for signing releases and content
 *   kioskctl release|content build SRC --out DIR --version V --serial N --channel C
 *            --hardware H [--days D] --sign KEY...   a bundle: signed manifest.json + blobs/
 *   kioskctl release|content publish DIR [--rollout PERCENT] --registry URL --pki DIR
 *                                                    its blobs, then its manifest (to a share of
 *                                                    the channel's kiosks: a staged rollout)
 *   kioskctl release|content rollout SERIAL PERCENT --channel C --registry URL --pki DIR
 *                                                    widen (or stop, 0) a staged rollout
 *   kioskctl staff hash NUMBER [--pepper FILE] < PIN   the [staff] line of the configuration
 *   kioskctl staff pepper FILE              a new staff pepper (0600)
 *                                           (PBKDF2-SHA256; the PIN is read from stdin)
 *
 * Exit 0 when all is well, 1 when the chain is broken, 2 for bad arguments, 3 when the store
 * cannot be opened. */
#include <stdio.h>
#include <string.h>

#include "kioskctl.h"
#include "log.h"

struct cmd {
    const char *group, *sub; /* sub NULL: the group alone (kioskctl fleet) */
    int (*run)(int argc, char **argv);
    const char *usage; /* after "kioskctl " */
    const char *summary;
};

static const struct cmd cmds[] = {
    {"audit", "verify", store_cmd,
     "audit verify --state-dir DIR [--registry URL --pki DIR --kiosk ID]",
     "checks a kiosk's audit chain; names the first broken row (exit 1)"},
    {"store", "stats", store_cmd, "store stats --state-dir DIR",
     "counts of a kiosk's store by table and sync state, as JSON"},
    {"pki", "init", pki, "pki init DIR [--names HOST,IP...]",
     "a CA, the registry's certificate (localhost and the names given) and an operator's"},
    {"pki", "workstation", pki, "pki workstation DIR --name NAME --office CODE --out DIR2",
     "a clerk workstation's certificate and .p12 for its browser (console_client_certs)"},
    {"pki", "request", pki, "pki request DIR --operator|--kiosk",
     "a key (kept in DIR) and its CSR, for a CA elsewhere (an offline CA)"},
    {"pki", "sign", pki,
     "pki sign CA_DIR CSR (--operator NAME (--office CODE | --province) | --kiosk ID --office CODE) --out DIR",
     "at the CA: the certificate of a CSR made elsewhere"},
    {"pki", "revoke", pki,
     "pki revoke (--kiosk ID | --cert FILE | --serial HEX) [--reason TEXT] --registry URL --pki DIR",
     "refused at the handshake by every registryd within 15 s (a kiosk: all its certificates so far)"},
    {"pki", "next-key", pki, "pki next-key DIR [--names HOST,IP...]",
     "the registry's next key: kiosks learn its pin at their next sync"},
    {"pki", "rotate", pki, "pki rotate DIR", "the next key becomes the registry's (restart registryd)"},
    {"pki", "enroll", pki, "pki enroll DIR --kiosk ID --office CODE --out DIR2 [--days N]",
     "a kiosk's client certificate (key 0600) and the CA"},
    {"pki", "operator", pki,
     "pki operator DIR --name NAME (--office CODE | --province) --out DIR2",
     "an operator's own certificate, kept to one office's data or the province's"},
    {"pki", "verify", pki, "pki verify CA.crt CERT.crt",
     "chain and dates; prints the kiosk id and office"},
    {"appointments", "import", appointments_import,
     "appointments import FILE --registry URL --pki DIR",
     "sends {\"appointments\":[...]} or a .csv file to the registry"},
    {"fleet", "updates", fleet_updates,
     "fleet updates [--kiosk ID] [--json] --registry URL --pki DIR",
     "the update steps and rollbacks the kiosks reported"},
    {"fleet", NULL, fleet, "fleet [--json] --registry URL --pki DIR",
     "every kiosk's last heartbeat, as a table"},
    {"records", "list", records_list,
     "records list [--json] [--kiosk ID] [--office CODE] [--limit N] --registry URL --pki DIR",
     "what the registry received (no personal data)"},
    {"ratings", NULL, ratings, "ratings [--json] [--office CODE] --registry URL --pki DIR",
     "好差评 by office and service: each level counted, the share satisfied"},
    {"queue", "show", queue_show, "queue show OFFICE [--json] --registry URL --pki DIR",
     "the office's windows and today's tickets"},
    {"queue", "window", queue_window,
     "queue window OFFICE ID TYPES [--name N] [--room R] [--every K] --registry URL --pki DIR",
     "a window serving TYPES (marriage,joint,divorce_apply,...), one walk-in after every K"},
    {"queue", "call", queue_action, "queue call OFFICE WINDOW --registry URL --pki DIR",
     "the window calls its next ticket"},
    {"queue", "recall", queue_action, "queue recall OFFICE TICKET --registry URL --pki DIR",
     "calls a called ticket again"},
    {"queue", "no-show", queue_action, "queue no-show OFFICE TICKET --registry URL --pki DIR",
     "a ticket called three times did not come"},
    {"queue", "done", queue_action, "queue done OFFICE TICKET --registry URL --pki DIR",
     "the ticket was served"},
    {"queue", "transfer", queue_action,
     "queue transfer OFFICE TICKET window:ID|room:NAME --registry URL --pki DIR",
     "sends a ticket to another window or room"},
    {"clerk", "add", clerk_add_cmd,
     "clerk add ID --office CODE --name NAME --registry URL --pki DIR  (password on stdin)",
     "makes a clerk console account of an office"},
    {"clerk", "list", clerk_list_cmd, "clerk list [--office CODE] [--json] --registry URL --pki DIR",
     "lists the clerks: office, active, locked or disabled, last login"},
    {"clerk", "passwd", clerk_change_cmd,
     "clerk passwd ID --registry URL --pki DIR  (password on stdin)",
     "sets a clerk's new password; the clerk's sessions end"},
    {"clerk", "unlock", clerk_change_cmd, "clerk unlock ID --registry URL --pki DIR",
     "lifts the lock wrong passwords put on an account"},
    {"clerk", "disable", clerk_change_cmd, "clerk disable ID --registry URL --pki DIR",
     "switches an account off (its sessions end)"},
    {"clerk", "enable", clerk_change_cmd, "clerk enable ID --registry URL --pki DIR",
     "switches an account on again"},
    {"clerk", "audit", clerk_audit_cmd,
     "clerk audit [--office CODE] [--limit N] [--json] --registry URL --pki DIR",
     "the clerk console's audit log: every action and every view of a record, by clerk"},
    {"registry", "backup", registry_backup, "registry backup --registry URL --pki DIR",
     "a consistent copy of the registry's database while it serves (restored, it starts a new "
     "epoch: kiosks send again what it lacks)"},
    {"records", "status", records_status,
     "records status RECORD received|accepted|reviewing|completed|returned [--reason TEXT] "
     "[--kiosk ID] --registry URL --pki DIR",
     "sets a record's status (and why: a returned record's reason is shown to the citizens), as "
     "the progress query shows it"},
    {"command", "send", command,
     "command send KIOSK sync|lock|unlock|notice|update|content [TEXT] --registry URL --pki DIR",
     "queues a command for a kiosk (an empty notice clears it)"},
    {"command", "list", command, "command list [--kiosk ID] --registry URL --pki DIR",
     "the commands and what the kiosks answered"},
    {"enroll", "token", enroll, "enroll token KIOSK OFFICE [--hours N] --registry URL --pki DIR",
     "a one-time enrollment token for a kiosk"},
    {"enroll", "kiosk", enroll, "enroll kiosk --token T --ca CA.crt --out DIR --registry URL",
     "enrolls this machine: its key stays here, the registry signs its certificate"},
    {"receipt", "verify", receipt_verify_cmd,
     "receipt verify TOKEN (--state-dir DIR | --pub BASE64URL | --registry URL --pki DIR)",
     "checks a receipt QR's token; prints what it says (exit 1: forged or unknown)"},
    {"declaration", "print", declaration_cmd,
     "declaration print RECORD (--out FILE.pdf | --printer NAME) [--assets DIR] --registry URL "
     "--pki DIR",
     "the clerk's pre-filled 申请结婚登记声明书, one page per party"},
    {"keys", "new", keys_new, "keys new DIR NAME",
     "an Ed25519 key for signing releases and content"},
    {"root", "build", root_build,
     "root build --out DIR --version N --threshold T --key PUB... [--revoke PUB...] [--days D] "
     "--sign KEY...",
     "a root of trust: the update keys, their threshold, revoked keys; signed"},
    {"root", "publish", bundle_publish, "root publish DIR --registry URL --pki DIR",
     "publishes a root of trust; kiosks take it when the current keys signed it"},
    {"release", "build", bundle_build,
     "release build SRC --out DIR --version V --serial N --channel C --hardware H [--days D] "
     "--sign KEY...",
     "a release bundle: signed manifest.json + blobs/"},
    {"release", "publish", bundle_publish,
     "release publish DIR [--rollout PERCENT] --registry URL --pki DIR",
     "its blobs, then its manifest (to a share of the channel's kiosks)"},
    {"release", "rollout", bundle_rollout,
     "release rollout SERIAL PERCENT --channel C --registry URL --pki DIR",
     "widens (or stops, 0) a staged rollout"},
    {"content", "build", bundle_build,
     "content build SRC --out DIR --version V --serial N --channel C --hardware H [--days D] "
     "--sign KEY...",
     "a content bundle (the assets tree): signed manifest.json + blobs/"},
    {"content", "publish", bundle_publish,
     "content publish DIR [--rollout PERCENT] --registry URL --pki DIR",
     "its blobs, then its manifest"},
    {"content", "rollout", bundle_rollout,
     "content rollout SERIAL PERCENT --channel C --registry URL --pki DIR",
     "widens (or stops, 0) a staged rollout"},
    {"staff", "hash", staff_hash, "staff hash NUMBER [--pepper FILE] < PIN",
     "the [staff] line of a kiosk's configuration (PBKDF2-SHA256, of HMAC(pepper, PIN) with "
     "--pepper; a PIN of 6-12 digits from stdin)"},
    {"staff", "pepper", staff_pepper, "staff pepper FILE",
     "a new staff pepper (32 random bytes, 0600): kept apart from the configuration"},
};
#define NCMDS (sizeof cmds / sizeof cmds[0])

static const struct cmd *current;
static bool usage_said; /* cmd_bad printed it: a handler's cmd_usage after it adds nothing */

static void print_entry(FILE *f, const struct cmd *c) {
    fprintf(f, "usage: kioskctl %s\n       %s\n", c->usage, c->summary);
}

int cmd_usage(void) {
    if (current && !usage_said)
        fprintf(stderr, "usage: kioskctl %s\n", current->usage);
    return 2;
}

int cmd_bad(const char *arg, const char *why) {
    fprintf(stderr, "kioskctl %s%s%s: %s %s\n", current ? current->group : "",
            current && current->sub ? " " : "", current && current->sub ? current->sub : "",
            arg, why);
    cmd_usage();
    usage_said = true;
    return -1;
}

static void list_all(FILE *f) {
    fprintf(f, "usage: kioskctl GROUP SUB [ARGS]   (kioskctl GROUP SUB --help for one)\n");
    for (size_t i = 0; i < NCMDS; i++)
        fprintf(f, "  kioskctl %s\n", cmds[i].usage);
}

static bool is_help(const char *a) {
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int main(int argc, char **argv) {
    log_init("kioskctl", LOG_WARN);
    if (argc < 2 || is_help(argv[1])) {
        list_all(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    /* the entry: group and sub-command, else the group alone */
    const char *sub = argc > 2 ? argv[2] : "";
    bool group_known = false;
    for (size_t i = 0; i < NCMDS && !current; i++) {
        if (strcmp(cmds[i].group, argv[1]))
            continue;
        group_known = true;
        if (cmds[i].sub ? !strcmp(cmds[i].sub, sub) : true)
            current = &cmds[i];
    }
    bool help = false;
    for (int i = 2; i < argc; i++)
        help = help || is_help(argv[i]);
    if (!current) {
        FILE *f = help && group_known ? stdout : stderr;
        if (!help || !group_known)
            fprintf(stderr, "kioskctl: %s%s%s is not a command\n", argv[1], sub[0] ? " " : "",
                    sub);
        if (!group_known)
            list_all(stderr);
        for (size_t i = 0; group_known && i < NCMDS; i++)
            if (!strcmp(cmds[i].group, argv[1]))
                print_entry(f, &cmds[i]);
        return help && group_known ? 0 : 2;
    }
    if (help) { /* answered before the command runs: asking for help changes nothing */
        print_entry(stdout, current);
        return 0;
    }
    int rc = current->run(argc, argv);
    return rc < 0 ? 2 : rc; /* -1: an argument was refused (already named) */
}
