import ArgumentParser
import RunbookCore
import RunbookOps

extension ReportFormat: ExpressibleByArgument {}

/// `--report FORMAT[:FILE]`, repeatable, as exec, audit and lab run take it: CI wants the JUnit
/// file and the JSON file from the same run that a person watches as text.
struct ReportOptions: ParsableArguments {
    struct Report: ExpressibleByArgument {
        var format: ReportFormat
        /// nil: standard output.
        var file: String?

        init?(argument: String) {
            let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let format = ReportFormat(rawValue: String(parts[0])) else { return nil }
            if parts.count == 2 {
                guard !parts[1].isEmpty else { return nil }
                file = String(parts[1])
            }
            self.format = format
        }
    }

    @Option(
        name: .customLong("report"),
        help: ArgumentHelp(
            "Write a report: FORMAT (text, json or junit) to standard output, or FORMAT:FILE to a file; repeatable. Without it: text to standard output.",
            valueName: "format[:file]"))
    var reports: [Report] = []

    /// The older spelling of `--report FORMAT`.
    @Option(help: .hidden)
    var format: ReportFormat?

    func validate() throws {
        let toOutput = all.filter { $0.file == nil }
        if toOutput.count > 1 {
            throw ValidationError("only one report can go to standard output; give the others a file (FORMAT:FILE)")
        }
        let files = all.compactMap(\.file)
        if Set(files).count < files.count { throw ValidationError("two reports name the same file") }
    }

    private var all: [Report] {
        reports + (format.map { [Report(format: $0, file: nil)] } ?? [])
    }

    /// What goes to standard output: text unless a report says otherwise.
    var standardOutput: ReportFormat {
        all.first { $0.file == nil }?.format ?? .text
    }

    /// Whether standard output is free for text (progress, the text report).
    var textOnStandardOutput: Bool { standardOutput == .text }

    /// Prints progress or the text report: on standard output, or on standard error when
    /// standard output carries another report.
    func show(_ text: String) {
        textOnStandardOutput ? Output.standardOutput(text) : Output.standardError(text)
    }

    /// Writes every report to its file, and the one for standard output (none when it is text
    /// and `text` is nil: the caller printed it as it went). A file that cannot be written is
    /// an error after the others are written.
    func write(text: String?, _ render: (ReportFormat) -> String) throws {
        var failed = false
        for report in all {
            guard let file = report.file else { continue }
            do {
                try FileIO.replace(file, with: render(report.format))
            } catch {
                Output.error("cannot write the \(report.format.rawValue) report: \(error)")
                failed = true
            }
        }
        if standardOutput == .text {
            if let text { Output.standardOutput(text) }
        } else {
            Output.standardOutput(render(standardOutput))
        }
        if failed { throw ExitCodeError.parse }
    }
}

extension ReportOptions.Report {
    init(format: ReportFormat, file: String?) {
        self.format = format
        self.file = file
    }
}
