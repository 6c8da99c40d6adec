import RunbookCore

/// JUnit XML as CI systems read it: Jenkins validates against the xunit plugin's junit-10.xsd
/// (so `testsuites` carries no `skipped`, and times have at most three decimals), and GitLab
/// keeps only the first of two cases with the same class and name (so every name holds what
/// makes it unique: the step, its line and the target). `exec`, `audit` and `lab run` all build
/// their reports from these values, so the rules live here once.
public struct JUnit: Sendable {
    public struct Suite: Sendable {
        public var name: String
        /// The target the cases ran on; Jenkins shows it per suite.
        public var hostname: String?
        /// Seconds, when measured.
        public var time: Double?
        public var cases: [Case] = []
    }

    public struct Case: Sendable {
        public enum Result: Sendable {
            case passed
            /// What the runbook promises does not hold (drift): a test that ran and failed.
            case failure(type: String, message: String, detail: String?)
            /// The test could not run as meant: the target was unreachable, a command failed.
            case error(type: String, message: String, detail: String?)
            case skipped(message: String)
        }

        public var classname: String
        public var name: String
        public var time: Double?
        public var result: Result
    }

    public var name: String
    public var suites: [Suite]

    public func xml() -> String {
        let cases = suites.flatMap(\.cases)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"\(Self.escaped(name))\" tests=\"\(cases.count)\" failures=\"\(Self.count(cases, \.isFailure))\" errors=\"\(Self.count(cases, \.isError))\""
        if let time = Self.total(suites.map(\.time)) { out += " time=\"\(Self.seconds(time))\"" }
        out += ">\n"
        for suite in suites {
            out +=
                "  <testsuite name=\"\(Self.escaped(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(Self.count(suite.cases, \.isFailure))\" errors=\"\(Self.count(suite.cases, \.isError))\" skipped=\"\(Self.count(suite.cases, \.isSkipped))\""
            if let hostname = suite.hostname { out += " hostname=\"\(Self.escaped(hostname))\"" }
            if let time = suite.time { out += " time=\"\(Self.seconds(time))\"" }
            out += ">\n"
            for testCase in suite.cases {
                out +=
                    "    <testcase classname=\"\(Self.escaped(testCase.classname))\" name=\"\(Self.escaped(testCase.name))\""
                if let time = testCase.time { out += " time=\"\(Self.seconds(time))\"" }
                switch testCase.result {
                case .passed:
                    out += "/>\n"
                    continue
                case .failure(let type, let message, let detail):
                    out += ">\n      " + Self.element("failure", type: type, message: message, detail: detail)
                case .error(let type, let message, let detail):
                    out += ">\n      " + Self.element("error", type: type, message: message, detail: detail)
                case .skipped(let message):
                    out += ">\n      <skipped message=\"\(Self.escaped(message))\"/>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private static func element(_ name: String, type: String, message: String, detail: String?) -> String {
        "<\(name) type=\"\(escaped(type))\" message=\"\(escaped(message))\">\(escaped(detail ?? ""))</\(name)>\n"
    }

    private static func count(_ cases: [Case], _ kind: KeyPath<Case.Result, Bool>) -> Int {
        cases.count { $0.result[keyPath: kind] }
    }

    private static func total(_ times: [Double?]) -> Double? {
        let measured = times.compactMap { $0 }
        return measured.isEmpty ? nil : measured.reduce(0, +)
    }

    /// junit-10.xsd's SUREFIRE_TIME: digits, at most three decimals.
    static func seconds(_ time: Double) -> String {
        let millis = Int((max(0, time) * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Text as XML attribute or element content.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value >= 0x20 || scalar == "\r" { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

extension JUnit.Case.Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
    var isError: Bool { if case .error = self { true } else { false } }
    var isSkipped: Bool { if case .skipped = self { true } else { false } }
}
