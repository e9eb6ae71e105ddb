import Foundation
import Fondi

/// Runs the real `fondi` binary (built next to the test bundle) against a temporary ledger.
struct Binario {
    let cartella: URL
    var db: String { cartella.appendingPathComponent("registro.sqlite").path }

    static let eseguibile: URL = {
        let te = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = te.deletingLastPathComponent()
        // The bundle may be a directory (…/FondiPackageTests.xctest/Contents/…) or a file next to `fondi`.
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("fondi").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("fondi")
    }()

    init() throws {
        cartella = FileManager.default.temporaryDirectory.appendingPathComponent("fondi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cartella, withIntermediateDirectories: true)
    }

    func pulisci() { try? FileManager.default.removeItem(at: cartella) }

    struct Esito {
        let codice: Int32
        let uscita: String
        let errore: String
        func json() throws -> ValoreJSON { try ValoreJSON.leggi(uscita.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Runs `fondi ARGS --db <ledger>` (unless `conDb` is false) and waits.
    @discardableResult
    func esegui(_ argomenti: [String], conDb: Bool = true, ambiente: [String: String] = [:], entrata: String? = nil) throws -> Esito {
        try avvia(argomenti, conDb: conDb, ambiente: ambiente, entrata: entrata).attendi()
    }

    /// Starts `fondi`; `entrata` is written to its standard input (then closed), else stdin is empty.
    func avvia(_ argomenti: [String], conDb: Bool = true, ambiente: [String: String] = [:], entrata: String? = nil) throws -> InCorso {
        let p = Process()
        p.executableURL = Self.eseguibile
        p.arguments = argomenti + (conDb ? ["--db", db] : [])
        var env = ProcessInfo.processInfo.environment
        env["FONDI_DB"] = nil
        for (k, v) in ambiente { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = cartella
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let stdin = Pipe()
        p.standardInput = stdin
        try p.run()
        if let entrata { stdin.fileHandleForWriting.write(Data(entrata.utf8)) }
        try stdin.fileHandleForWriting.close()
        return InCorso(processo: p, out: out, err: err)
    }

    struct InCorso {
        let processo: Process
        let out: Pipe
        let err: Pipe
        func attendi() -> Esito {
            let o = out.fileHandleForReading.readDataToEndOfFile()
            let e = err.fileHandleForReading.readDataToEndOfFile()
            processo.waitUntilExit()
            return Esito(codice: processo.terminationStatus, uscita: String(decoding: o, as: UTF8.self), errore: String(decoding: e, as: UTF8.self))
        }
    }

    func scriviFile(_ nome: String, _ testo: String) throws -> String {
        let u = cartella.appendingPathComponent(nome)
        try testo.write(to: u, atomically: true, encoding: .utf8)
        return u.path
    }

    /// Runs `python3 ARGS` and returns its exit code and standard output (standard error is discarded).
    static func python(_ argomenti: [String]) throws -> (codice: Int32, uscita: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + argomenti
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let dati = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: dati, as: UTF8.self))
    }

    /// The number of events and the chain head: what a refused command must leave unchanged.
    func testa() throws -> String {
        let e = try esegui(["verifica", "--formato", "json"])
        guard let j = try? e.json(), case let .intero(n)? = j["eventi"], case let .stringa(h)? = j["testa"] else { return "?" }
        return "\(n) \(h)"
    }
}
