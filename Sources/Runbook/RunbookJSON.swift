/// The `runbook/v1` JSON contract of `runbook parse --format json` and `runbook export --format
/// json`. Scripts depend on it: fields may be added, never renamed or removed.
extension Runbook {
    public static let schema = "runbook/v1"

    public var json: JSON {
        .object([
            ("schema", .string(Runbook.schema)),
            ("file", .string(file)),
            ("title", .string(title)),
            ("hosts", .array(hosts.map(JSON.string))),
            ("steps", .array(steps.map(\.json))),
            ("warnings", .array(warnings.map { .object([("line", .int($0.location.line)), ("message", .string($0.message))]) })),
        ])
    }
}

extension Step {
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("index", .int(index)),
            ("line", .int(line)),
            ("section", .string(section)),
            ("host", .string(host)),
            ("cwd", .string(cwd)),
            ("user", .string(user)),
            ("kind", .string(kind.rawValue)),
        ]
        switch action {
        case .sysctl(let setting):
            members += [
                ("key", .string(setting.key)),
                ("value", .string(setting.value)),
                ("persist", .string(setting.persist)),
                ("command", .string(setting.command)),
            ]
        case .route(let change):
            members += [
                ("action", .string(change.action.rawValue)),
                ("destination", .string(change.destination)),
                ("gateway", .string(change.gateway)),
                ("device", .string(change.device)),
                ("metric", .int(change.metric)),
                ("command", .string(change.command)),
            ]
        case .command(let command):
            members += [
                ("command", .string(command.text)),
                ("expect", command.expect.map(\.json) ?? .null),
            ]
        }
        return .object(members)
    }
}

extension Expectation {
    var json: JSON {
        .object([
            ("output", .string(output)),
            ("routes", routes.map { .array($0.map(\.json)) } ?? .null),
        ])
    }
}

extension RouteEntry {
    var json: JSON {
        .object([
            ("destination", .string(destination)),
            ("gateway", .string(gateway)),
            ("device", .string(device)),
            ("metric", .int(metric)),
            ("flags", .string(flags)),
        ])
    }
}
