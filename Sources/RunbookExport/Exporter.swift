import Foundation
import Mustache
import RunbookCore

/// A format's view model: a struct whose property names are its template's keys (Mustache
/// reads them by reflection; a `nil` property leaves its section out).
protocol ExportView {
    /// The template's name, without `.mustache`.
    static var template: String { get }
}

/// Renders a runbook into the formats fleets use, from the Mustache templates in `templates/`.
/// The Swift side only builds each format's view model; what the output looks like is the
/// templates' business, and a user may override any of them (`--templates DIR`).
public struct Exporter {
    public enum Format: String, CaseIterable, Sendable {
        case shell, sysctl, ansible, ipvs, json
    }

    /// A directory whose `NAME.mustache` files replace the bundled ones.
    public var templates: String?

    public init(templates: String? = nil) {
        self.templates = templates
    }

    /// The export of `runbook` (only `host`'s steps when given).
    public func render(_ runbook: Runbook, as format: Format, host: String?) throws(UsageProblem) -> String {
        if let host, !runbook.hosts.contains(host) {
            throw UsageProblem(
                description:
                    "no steps for host '\(host)' in \(runbook.file) (hosts: \(runbook.hosts.joined(separator: ", ")))")
        }
        switch format {
        case .json: return String(decoding: runbook.json(), as: UTF8.self)
        case .sysctl: return try render(SysctlExport.model(runbook, host: host))
        case .shell: return try render(ShellExport.model(runbook, host: host))
        case .ansible: return try render(AnsibleExport.model(runbook, host: host))
        case .ipvs: return try render(IPVSExport.model(runbook, host: host))
        }
    }

    private func render<View: ExportView>(_ view: View) throws(UsageProblem) -> String {
        try template(View.template).render(view)
    }

    /// Writes an export atomically: an existing file is replaced whole or not at all, never
    /// truncated by a failed write. Scripts are made executable.
    public static func write(_ text: String, to path: String, format: Format) throws(UsageProblem) {
        do {
            try FileIO.replace(path, with: text, newFileMode: format == .shell ? 0o755 : 0o644)
        } catch {
            throw UsageProblem(description: error.description)
        }
    }

    /// A user's template that does not parse is their file's problem, reported at its line.
    private func template(_ name: String) throws(UsageProblem) -> MustacheTemplate {
        let text: String
        var file = "\(name).mustache (bundled)"
        if let templates, FileManager.default.fileExists(atPath: "\(templates)/\(name).mustache") {
            file = "\(templates)/\(name).mustache"
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageProblem(description: "\(file): cannot be read")
            }
            text = String(decoding: data, as: UTF8.self)
        } else if let bundled = BundledTemplates.byName[name] {
            text = bundled
        } else {
            throw UsageProblem(description: "template \(name).mustache not found")
        }
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw UsageProblem(
                .error(file, error.context.lineNumber, "invalid Mustache template: \(error.error)"))
        } catch {
            throw UsageProblem(description: "\(file): invalid Mustache template: \(error)")
        }
    }
}
