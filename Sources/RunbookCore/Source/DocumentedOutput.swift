/// `runbook audit --update`: rewrites a command's documented output in the Markdown file with
/// what the command printed, like cram's interactive mode or trycmd's overwrite. Only the bytes
/// of the output lines change; the container indentation of each line (a block inside a list
/// item) and the file's line endings are kept, and the file is replaced atomically.
public enum DocumentedOutput {
    /// What an update did: how many blocks of output changed, and the outputs it refused to
    /// write, each with why.
    public struct Result: Sendable {
        public var changed = 0
        public var refused: [Diagnostic] = []
    }

    /// Replaces the documented output of each step with its actual output, except output that
    /// would change the document's structure: live output is untrusted, and a fence line in it
    /// would end the code block, so that the lines after it became new steps.
    @discardableResult
    public static func update(
        file: String, with replacements: [(step: Step, actual: String)]
    ) throws(UsageProblem)
        -> Result
    {
        let original: String
        do {
            guard let bytes = try FileIO.read(file) else { throw UsageProblem(description: "\(file) does not exist") }
            original = String(decoding: bytes, as: UTF8.self)
        } catch let error as UsageProblem {
            throw error
        } catch {
            throw UsageProblem(description: "\(error)")
        }
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ending = lines.first?.hasSuffix("\r") == true ? "\r" : ""
        var result = Result()
        var seen = Set<Int>()
        // Bottom-up, so that a block that grows or shrinks does not move the ones above it.
        for (step, actual) in replacements.sorted(by: { $0.step.line > $1.step.line })
        where seen.insert(step.line).inserted {
            guard case .command(let command) = step.action, let expect = command.expect,
                let range = expect.outputLines
            else { continue }
            // Where the reader found the output, in 0-based indexes of `lines`.
            let start = range.lowerBound - 1
            let documented = expect.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard documented.count == range.count, start >= 0, range.upperBound - 1 <= lines.count else {
                throw UsageProblem(
                    .error(file, step.line, "the documented output is not where the runbook was read; parse it again"))
            }
            let first = lines[start].hasSuffix("\r") ? String(lines[start].dropLast()) : lines[start]
            let prefix =
                first.hasSuffix(documented[0])
                ? String(first.dropLast(documented[0].count)) : String(first.prefix(while: { $0 == " " || $0 == "\t" }))
            let actualLines = OutputText.normalizedLines(actual)
            if let fence = actualLines.firstIndex(where: isFence) {
                result.refused.append(
                    .warning(
                        file, step.line,
                        "the output of '\(command.text)' was not written back: its line \(fence + 1) is a code fence, which would end the block"
                    ))
                continue
            }
            let replacement = actualLines.map { ($0.isEmpty ? "" : prefix + $0) + ending }
            if Array(lines[start..<(start + documented.count)]) != replacement {
                lines.replaceSubrange(start..<(start + documented.count), with: replacement)
                result.changed += 1
            }
        }
        guard result.changed > 0 else { return result }
        do {
            try FileIO.replace(file, with: lines.joined(separator: "\n"))
        } catch {
            throw UsageProblem(description: error.description)
        }
        return result
    }

    /// A line CommonMark reads as a code fence: up to three spaces, then three or more
    /// backticks or tildes.
    private static func isFence(_ line: Substring) -> Bool {
        let rest = line.drop { $0 == " " }
        guard line.count - rest.count <= 3 else { return false }
        return rest.hasPrefix("```") || rest.hasPrefix("~~~")
    }
}
