import Fondi
import FondiServizi
import FondiStore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Everything `fondi` prints. Results go to stdout, messages to stderr.
enum Uscita {
    static func stampa(_ testo: String) {
        // One write with its newline: a reader of lines (a script waiting for `fondi serve`'s address) never
        // sees half of one.
        scrivi(testo.hasSuffix("\n") || testo.isEmpty ? testo : testo + "\n", su: 1)
    }

    static func errore(_ testo: String) {
        scrivi(testo.hasSuffix("\n") ? testo : testo + "\n", su: 2)
    }

    /// Writes all bytes to a file descriptor (1 stdout, 2 stderr), retrying short writes.
    static func scrivi(_ testo: String, su fd: Int32) {
        var testo = testo
        // A native string's UTF-8 in place: a long output is not copied to be written.
        testo.withUTF8 { byte in
            var fatto = 0
            while fatto < byte.count {
                let n = write(fd, byte.baseAddress! + fatto, byte.count - fatto)
                if n <= 0 { return }
                fatto += n
            }
        }
    }


    /// `1 riga`, `2 righe`.
    static func numero(_ n: Int, _ singolare: String, _ plurale: String) -> String { "\(n) \(n == 1 ? singolare : plurale)" }

    static func impronta(file: String) throws -> String { try Catena.improntaFile(file) }

    /// The result of write commands: the events appended (or, for a repeated key, those appended the first
    /// time); as a table, what was recorded and what is left, in words.
    static func esiti(_ esiti: [Esito], formato: Formato, registro: Registro? = nil) -> String {
        let eventi = esiti.flatMap(\.eventi)
        let ripetuto = !esiti.isEmpty && esiti.allSatisfy(\.ripetuto)
        switch formato {
        case .json:
            return Risultati.esiti(esiti).testoCanonico
        case .csv:
            return "seq,tipo,data,hash\n" + eventi.map { "\($0.seq),\($0.evento.tipo),\($0.data),\($0.hash)" }.joined(separator: "\n")
        case .tabella:
            let prefisso = ripetuto ? "già registrato (chiave ripetuta, nulla è stato scritto): " : "registrato: "
            return eventi.map { e in
                let frase = registro.flatMap { try? Risultati.frase(e.evento, registro: $0) }
                return "\(prefisso)\(frase ?? e.evento.tipo) — seq \(e.seq) del \(e.data.italiano), hash \(e.hash)"
            }.joined(separator: "\n")
        }
    }

    /// The result of `chiudi` (shared with the API: `Risultati.chiusura`).
    static func chiusura(_ esito: Esito, prova: Bool, formato: Formato, candidati: [Impegno] = []) -> String {
        Risultati.chiusura(esito, prova: prova, formato: formato, candidati: candidati) { esiti([$0], formato: formato) }
    }

    /// `adattando`: a human table may leave out secondary columns to fit (not when `--colonne` chose them).
    static func tabelle(_ tabelle: [Tabella], formato: Formato, titoli: [String: String] = [:], adattando: Bool = true) -> String {
        switch formato {
        case .json: Rendering.json(tabelle)
        case .csv: Rendering.csv(tabelle)
        case .tabella: Rendering.tabella(tabelle, titoli: titoli, larghezza: Colonne.larghezzaTerminale(), adattando: adattando)
        }
    }
}

/// `--colonne a,b,c` and the width of the terminal.
enum Colonne {
    static func scegli(_ elenco: String, in tabelle: [Tabella]) throws -> [Tabella] {
        let nomi = elenco.split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        guard !nomi.isEmpty else { throw ErroreValore("--colonne vuoto: indica i nomi delle colonne separati da virgole") }
        let note = Set(tabelle.flatMap(\.colonne))
        if let ignota = nomi.first(where: { !note.contains($0) }) {
            throw ErroreValore("--colonne: colonna sconosciuta '\(Testo.visibile(ignota))'; le colonne sono \(tabelle.flatMap(\.colonne).joined(separator: ", "))")
        }
        return tabelle.map { t in
            let indici = nomi.compactMap { t.colonne.firstIndex(of: $0) }
            return Tabella(nome: t.nome, colonne: indici.map { t.colonne[$0] }, righe: t.righe.map { r in indici.map { r[$0] } })
        }
    }

    /// `$COLUMNS`, else the terminal's width, else 120.
    static func larghezzaTerminale() -> Int {
        if let c = getenv("COLUMNS").flatMap({ String(validatingCString: $0) }).flatMap(Int.init), c >= 40 { return c }
        var w = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col >= 40 { return Int(w.ws_col) }
        return 120
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
