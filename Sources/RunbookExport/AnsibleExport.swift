import RunbookCore

/// The view model of `playbook.yml.mustache`: one play per host, a task per step, named after
/// it. Scalars are written as JSON strings, which YAML reads as double-quoted scalars, so no
/// value can break out of its place in the playbook; every scalar made from the runbook is also
/// tagged `!unsafe`, so that Ansible never templates it (`{{ lookup('pipe', ...) }}` in a value
/// would run on the controller, even under --check).
enum AnsibleExport {
    struct Playbook: ExportView {
        static let template = "playbook.yml"

        var source: String
        var plays: [Play]
    }

    struct Play {
        var name, hosts: String
        var tasks: [Task]
    }

    /// One task; exactly one of its modules is set.
    struct Task {
        var name: String
        var sysctl: Sysctl? = nil
        var directory: Directory? = nil
        var command: Command? = nil
        var assertion: Assertion? = nil
    }

    /// `file` and `path` are the inside of a double-quoted scalar that starts with
    /// `{{ runbook_root }}`; the other texts are whole scalars.
    struct Sysctl { var key, value, file: String }
    struct Directory { var path: String }
    struct Command {
        var script, register, changedWhen: String
        var inCheckMode, endState: Bool
    }
    struct Assertion { var register, that, message: String }

    static func model(_ runbook: Runbook, host: String?) -> Playbook {
        let plays = runbook.stepsByHost(only: host).map { name, steps in
            Play(
                name: unsafe("\(name ?? "steps without a host") (\(runbook.file))"),
                hosts: unsafe(name ?? "all"),
                tasks: directories(steps) + steps.flatMap { tasks($0, file: runbook.file) })
        }
        return Playbook(source: ExportText.comment(runbook.file), plays: plays)
    }

    /// ansible.posix.sysctl writes its file through a temporary file beside it, so the
    /// directory must exist, also under `-e runbook_root=DIR`. Under --check the module only
    /// reads, and a missing file reads as empty.
    private static func directories(_ steps: [Step]) -> [Task] {
        var paths: [String] = []
        for step in steps {
            guard case .sysctl(let setting) = step.action, let file = setting.persist,
                let slash = file.lastIndex(of: "/"), slash != file.startIndex
            else { continue }
            let directory = String(file[..<slash])
            if !paths.contains(directory) { paths.append(directory) }
        }
        return paths.map { path in
            Task(
                name: unsafe("the directory \(path) for the persisted settings"),
                directory: Directory(path: inner(path)))
        }
    }

    private static func tasks(_ step: Step, file: String) -> [Task] {
        let name = unsafe("\(PlanRenderer.summary(step)) (\(file):\(step.line))")
        let register = "rb_step_\(step.index)"
        let changed = quoted("'changed' in \(register).stdout")
        switch step.action {
        case .sysctl(let setting):
            if let persist = setting.persist {
                // ansible.posix.sysctl always writes a file, so it serves persisted settings only.
                return [
                    Task(
                        name: name,
                        sysctl: Sysctl(key: unsafe(setting.key), value: unsafe(setting.value), file: inner(persist)))
                ]
            }
            let call = "rb_sysctl \(ShellQuote.quote(setting.key)) \(ShellQuote.quote(setting.value))"
            return [command(name, GuardedChanges.sysctlFunction + "\n" + call, register, changed, inCheckMode: true)]
        case .route(let change):
            let selector =
                "\(ShellQuote.quote(change.destination))"
                + (change.gateway.map { " via \(ShellQuote.quote($0))" } ?? "")
                + (change.device.map { " dev \(ShellQuote.quote($0))" } ?? "")
            let present = "ip -4 route show exact \(selector) | grep -q ."
            let apply =
                "[ -n \"${RB_CHECK:-}\" ] || ip route \(change.action.rawValue) \(selector)\(change.metric.map { " metric \($0)" } ?? "")"
            let script: String
            switch change.action {
            case .del: script = "if \(present); then \(apply); echo changed; fi"
            case .add: script = "if ! \(present); then \(apply); echo changed; fi"
            case .replace, .change: script = "\(apply); echo changed"
            }
            return [
                command(name, script, register, change.action.overwrites ? quoted("true") : changed, inCheckMode: true)
            ]
        case .address(let change):
            return [
                command(
                    name, GuardedChanges.script(GuardedChanges.addressFunction, GuardedChanges.call(change)), register,
                    changed,
                    inCheckMode: true)
            ]
        case .ipvs(let rule):
            return [
                command(
                    name, GuardedChanges.script(GuardedChanges.ipvsFunction, GuardedChanges.call(rule)), register,
                    changed,
                    inCheckMode: true)
            ]
        case .command(let command):
            // A documented IPVS table or address list is compared as a set.
            if let expect = command.expect, !expect.isPrecondition,
                let check = GuardedChanges.check(expect, place: "\(file):\(step.line)")
            {
                return [
                    self.command(
                        name, check.function + "\n" + check.call, register, quoted("false"), inCheckMode: true,
                        endState: true)
                ]
            }
            let script = (step.cwd.map { "cd \(ShellQuote.path($0)) 2>/dev/null || true; " } ?? "") + command.text
            // Whether an untyped command changed anything, runbook cannot know.
            var tasks = [
                self.command(
                    name, script, register, quoted("false"), inCheckMode: ReadOnlyCommands.contains(command.text))
            ]
            if let expect = command.expect, !expect.isPrecondition {
                tasks += assertions(expect, step: step, file: file, register: register)
            }
            return tasks
        }
    }

    /// Documented end states as `ansible.builtin.assert` tasks: route tables as sets of
    /// "destination gateway device", other output line by line.
    private static func assertions(_ expect: Expectation, step: Step, file: String, register: String) -> [Task] {
        let place = "\(file):\(step.line)"
        if let routes = expect.routes {
            let tableRegister = "rb_routes_\(step.index)"
            let read = GuardedChanges.routeTableFunction + "\nrb_route_table"
            let expected = routes.map { "\($0.destination) \($0.gateway ?? "-") \($0.device ?? "-")" }.sorted {
                $0.utf8.lexicographicallyPrecedes($1.utf8)
            }
            return [
                command(
                    unsafe("read the routing table (\(place))"), read, tableRegister, quoted("false"), inCheckMode: true
                ),
                Task(
                    name: unsafe("the routes are as documented (\(place))"),
                    assertion: Assertion(
                        register: tableRegister,
                        that: quoted("\(tableRegister).stdout_lines == \(jsonList(expected))"),
                        message: unsafe("\(place): the routing table differs from the runbook"))),
            ]
        }
        let lines = OutputText.normalizedLines(expect.output).map(String.init)
        return [
            Task(
                name: unsafe("the output is as documented (\(place))"),
                assertion: Assertion(
                    register: register,
                    that: quoted(
                        "\(register).stdout_lines | map('regex_replace', '\\\\s+$', '') | list == \(jsonList(lines))"),
                    message: unsafe("\(place): the output differs from the runbook")))
        ]
    }

    /// A shell task. `inCheckMode`: it also runs under `ansible-playbook --check`, because it
    /// only reads, or because it honours RB_CHECK (set under --check) by saying `changed`
    /// without changing anything. `endState`: it checks a documented end state, which under
    /// --check may not hold yet (the changes before it were only predicted), so a failure there
    /// is shown and ignored.
    private static func command(
        _ name: String, _ script: String, _ register: String, _ changedWhen: String, inCheckMode: Bool = false,
        endState: Bool = false
    ) -> Task {
        Task(
            name: name,
            command: Command(
                script: unsafe(script), register: register, changedWhen: changedWhen, inCheckMode: inCheckMode,
                endState: endState))
    }

    /// Data from the runbook: a double-quoted scalar Ansible does not template. ansible-core
    /// 2.19 reads a `!unsafe` scalar by its look, not its quotes (`!unsafe "true"` is the
    /// boolean, which `sh -c` then gets as `True`), so text that YAML would read as a boolean,
    /// number, null or date is written plainly quoted: it holds no `{`, so there is nothing in
    /// it to template.
    static func unsafe(_ text: String) -> String {
        resolvesAsNonString(text) ? quoted(text) : "!unsafe " + quoted(text)
    }

    /// YAML 1.1's implicit types, as PyYAML resolves a plain scalar, over-approximated: the
    /// boolean and null words, and anything made of digits and number punctuation that
    /// starts like a number.
    static func resolvesAsNonString(_ text: String) -> Bool {
        let words: Set<String> = [
            "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
            "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "<<", "=",
        ]
        if words.contains(text) { return true }
        guard let first = text.utf8.first,
            Bytes.isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".")
        else { return false }
        return text.utf8.allSatisfy { Bytes.isAlphanumeric($0) || "._:+- ".utf8.contains($0) }
    }

    /// A JSON string literal, which is a YAML double-quoted scalar once the characters YAML
    /// may not carry at all are escaped too: the C1 controls and U+FFFE/U+FFFF (a host
    /// name holding one made the whole playbook unreadable; found by the export fuzzer).
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        let json = String(decoding: writer.bytes, as: UTF8.self)
        guard json.unicodeScalars.contains(where: isNotYAMLPrintable) else { return json }
        var escaped = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if isNotYAMLPrintable(scalar) {
                escaped.append(contentsOf: "\\u".unicodeScalars)
                let hex = String(scalar.value, radix: 16, uppercase: true)
                escaped.append(contentsOf: (String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// Outside YAML's printable set, as JSON leaves it (JSON escapes the C0 controls and DEL).
    private static func isNotYAMLPrintable(_ scalar: Unicode.Scalar) -> Bool {
        (0x80...0x9F).contains(scalar.value) && scalar.value != 0x85 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    /// The inside of a double-quoted scalar, for text placed within one.
    private static func inner(_ text: String) -> String {
        String(quoted(text).dropFirst().dropLast())
    }

    /// A Jinja/JSON list of strings.
    private static func jsonList(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }
}
