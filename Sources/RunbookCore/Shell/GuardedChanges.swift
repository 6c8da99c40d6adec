/// The sh functions that apply sysctl, address and IPVS steps only where the machine needs
/// them, the ones that read and compare documented tables, and the call of each for a step:
/// written once, here, and used by the shell export, the Ansible export and `runbook exec` on
/// IPVS rules, so that every path decides "already there" alike.
/// Every argument from the runbook is single-quoted data.
package enum GuardedChanges {
    /// `rb_has_address DEVICE ADDRESS`, and `rb_address add|del ADDRESS DEVICE LABEL`: adds an
    /// address that is not on the device,
    /// deletes one that is; with an empty ADDRESS, deletes what LABEL holds. Prints `changed`
    /// when it changed something.
    /// `rb_change COMMAND...`: runs the change, unless RB_CHECK is set (the Ansible export sets
    /// it under `--check`), where it only lets the caller say `changed`. The functions below
    /// need it defined first.
    package static let changeFunction = #"""
        rb_change() {
            [ -n "${RB_CHECK:-}" ] || "$@"
        }
        """#

    /// A script that defines `function` (with `rb_change`) and makes one `call` of it: what a
    /// playbook task or exec runs for one step.
    package static func script(_ function: String, _ call: String) -> String {
        changeFunction + "\n" + function + "\n" + call
    }

    package static let addressFunction = #"""
        rb_has_address() {
            ip -o -4 addr show dev "$1" | awk -v a="$2" '$4 == a { f = 1 } END { exit !f }'
        }

        rb_address() {
            if [ -z "$2" ]; then
                rb_held=$(ip -o -4 addr show dev "$3" label "$4" | awk '{ print $4; exit }')
                [ -z "$rb_held" ] && return 0
                rb_change ip addr del "$rb_held" dev "$3" && echo changed
                return
            fi
            if rb_has_address "$3" "$2"; then
                [ "$1" = add ] && return 0
            else
                [ "$1" = del ] && return 0
            fi
            rb_change ip addr "$1" "$2" dev "$3" ${4:+label "$4"} && echo changed
        }
        """#

    /// `rb_ipvs ACTION -t|-u|-f SERVICE SERVER [OPTIONS...]`: adds a service or server that is
    /// not in the table and edits one that is (so that a second run converges rather than
    /// fails), deletes only what is there; skips with a message where the kernel has no IPVS.
    /// Prints `changed` when it ran ipvsadm.
    package static let ipvsFunction = #"""
        rb_ipvs() {
            if [ ! -e /proc/net/ip_vs ]; then
                printf 'skipped: no IPVS on this machine (no /proc/net/ip_vs): ipvsadm %s\n' "$*" >&2
                return 0
            fi
            if [ "$1" = clear ]; then rb_change ipvsadm -C && echo changed; return; fi
            rb_action=$1 rb_kind=$2 rb_service=$3 rb_server=$4
            shift 4
            rb_has_service=
            rb_has_server=
            if ipvsadm -Ln "$rb_kind" "$rb_service" >/dev/null 2>&1; then
                rb_has_service=1
                if [ -n "$rb_server" ] && ipvsadm -Ln "$rb_kind" "$rb_service" | awk -v s="$rb_server" '$1 == "->" && $2 == s { f = 1 } END { exit !f }'; then
                    rb_has_server=1
                fi
            fi
            case "$rb_action" in
                add-service) if [ -n "$rb_has_service" ]; then set -- -E "$@"; else set -- -A "$@"; fi ;;
                edit-service) set -- -E "$@" ;;
                delete-service) [ -z "$rb_has_service" ] && return 0; set -- -D ;;
                add-server) if [ -n "$rb_has_server" ]; then set -- -e "$@"; else set -- -a "$@"; fi ;;
                edit-server) set -- -e "$@" ;;
                delete-server) [ -z "$rb_has_server" ] && return 0; set -- -d ;;
            esac
            if [ -n "$rb_server" ]; then
                rb_flag=$1
                shift
                rb_change ipvsadm "$rb_flag" "$rb_kind" "$rb_service" -r "$rb_server" "$@" && echo changed
            else
                rb_flag=$1
                shift
                rb_change ipvsadm "$rb_flag" "$rb_kind" "$rb_service" "$@" && echo changed
            fi
        }
        """#

    /// `rb_sysctl KEY VALUE`: writes /proc/sys only when the value differs, compared field by
    /// field as procps compares (`SysctlConfigFile.sameValue` is the same rule in Swift); prints
    /// `changed` when it wrote, or under RB_CHECK would have. `rb_fields VALUE`: the value's
    /// fields, one space apart.
    package static let sysctlFunction = #"""
        rb_fields() {
            printf '%s\n' "$1" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//'
        }

        rb_sysctl() {
            rb_path="/proc/sys/$(printf '%s' "$1" | tr './' '/.')"
            [ "$(rb_fields "$(cat "$rb_path")")" = "$(rb_fields "$2")" ] && return 0
            [ -n "${RB_CHECK:-}" ] || printf '%s\n' "$2" > "$rb_path"
            echo changed
        }
        """#

    /// `rb_route_table`: the main IPv4 table as sorted "destination gateway device" lines ("-"
    /// for none, host routes as /32), the form documented tables are compared in.
    package static let routeTableFunction = #"""
        rb_route_table() {
            ip -4 route show table main | awk '{
                dst = ($1 == "default") ? "0.0.0.0/0" : (index($1, "/") ? $1 : $1 "/32"); gw = "-"; dev = "-"
                for (i = 2; i < NF; i++) { if ($i == "via") gw = $(i + 1); if ($i == "dev") dev = $(i + 1) }
                print dst, gw, dev }' | LC_ALL=C sort
        }
        """#

    /// `rb_expect_ipvs PLACE ROW...`: compares `ipvsadm -Ln` with the documented rows (see
    /// `IPVSService.rows`) as sets; says it did not check where the kernel has no IPVS.
    package static let ipvsCheckFunction = #"""
        rb_expect_ipvs() {
            rb_line=$1
            shift
            if [ ! -e /proc/net/ip_vs ]; then
                printf '%s: not checked: no IPVS on this machine (no /proc/net/ip_vs)\n' "$rb_line" >&2
                return 0
            fi
            rb_actual=$(ipvsadm -Ln | awk 'NR > 3 {
                if ($1 == "->") print svc " -> " $2 " " tolower($3) " weight " $4
                else { svc = ($1 == "FWM" ? "fwmark" : tolower($1)) " " $2; print svc " " $3 } }' | LC_ALL=C sort)
            rb_expected=$(printf '%s\n' "$@" | LC_ALL=C sort)
            if [ "$rb_actual" != "$rb_expected" ]; then
                printf '%s: the IPVS table differs from the runbook\n--- documented\n%s\n+++ actual\n%s\n' "$rb_line" "$rb_expected" "$rb_actual" >&2
                return 1
            fi
        }
        """#

    /// `rb_expect_addresses PLACE ROW...`: compares the IPv4 addresses of the devices the rows
    /// name (see `InterfaceAddress.row`) with the documented ones, as sets.
    package static let addressCheckFunction = #"""
        rb_expect_addresses() {
            rb_line=$1
            shift
            rb_devices=$(printf '%s\n' "$@" | awk '{ print $3 }' | LC_ALL=C sort -u | tr '\n' ' ')
            rb_actual=$(ip -o -4 addr show | awk -v devs=" $rb_devices" '{
                d = $2; sub(/@.*/, "", d); if (index(devs, " " d " ")) print $4 " dev " d }' | LC_ALL=C sort)
            rb_expected=$(printf '%s\n' "$@" | LC_ALL=C sort)
            if [ "$rb_actual" != "$rb_expected" ]; then
                printf '%s: the addresses differ from the runbook\n--- documented\n%s\n+++ actual\n%s\n' "$rb_line" "$rb_expected" "$rb_actual" >&2
                return 1
            fi
        }
        """#

    /// The check of a documented table, and the function it calls.
    package static func check(_ expect: Expectation, place: String) -> (function: String, call: String)? {
        if let table = expect.ipvs { return (ipvsCheckFunction, expectIPVS(table, place: place)) }
        if let addresses = expect.addresses {
            let call = ["rb_expect_addresses", ShellQuote.quote(place)] + addresses.map { ShellQuote.quote($0.row) }
            return (addressCheckFunction, call.joined(separator: " "))
        }
        return nil
    }

    private static func expectIPVS(_ table: [IPVSService], place: String) -> String {
        (["rb_expect_ipvs", ShellQuote.quote(place)] + table.flatMap(\.rows).map(ShellQuote.quote)).joined(
            separator: " ")
    }

    package static func call(_ change: AddressChange) -> String {
        "rb_address \(change.action.rawValue) \(ShellQuote.quote(change.address ?? "")) "
            + "\(ShellQuote.quote(change.device)) \(ShellQuote.quote(change.label ?? ""))"
    }

    package static func call(_ rule: IPVSRule) -> String {
        guard rule.action != .clear, let serviceProtocol = rule.serviceProtocol, let service = rule.service else {
            return "rb_ipvs clear"
        }
        var words = [
            rule.action.rawValue, serviceProtocol.flag, ShellQuote.quote(service), ShellQuote.quote(rule.server ?? ""),
        ]
        words += rule.options.map(ShellQuote.quote)
        return "rb_ipvs " + words.joined(separator: " ")
    }
}
