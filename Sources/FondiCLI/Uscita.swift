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
        scrivi(testo.hasSuffix("\n") || testo.isEmpty ? testo : testo + "\n", su: 1)
    }

    static func errore(_ testo: String) {
        scrivi(testo.hasSuffix("\n") ? testo : testo + "\n", su: 2)
    }

    /// Writes all bytes to a file descriptor (1 stdout, 2 stderr), retrying short writes.
    static func scrivi(_ testo: String, su fd: Int32) {
        var byte = Array(testo.utf8)
        var fatto = 0
        while fatto < byte.count {
            let n = byte.withUnsafeMutableBytes { write(fd, $0.baseAddress! + fatto, $0.count - fatto) }
            if n <= 0 { return }
            fatto += n
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
                let frase = registro.flatMap { try? Self.frase(e.evento, registro: $0) }
                return "\(prefisso)\(frase ?? e.evento.tipo) — seq \(e.seq) del \(e.data.italiano), hash \(e.hash)"
            }.joined(separator: "\n")
        }
    }

    /// What an event recorded and what is left after it, e.g. `impegno 2023/145 di 1.200,00 su
    /// FNA-2023/C2/2023: disponibile residuo 3.800,00`. Read from the projections just written.
    static func frase(_ e: Evento, registro: Registro) throws -> String? {
        func eu(_ c: Int64) -> String { Importo.formatoItaliano(c) }
        func disponibile(_ k: LineaChiave) throws -> String {
            guard let l = try registro.linea(k) else { return "" }
            return "disponibile residuo \(eu(l.programmato - l.impegnato - l.prenotazioni))"
        }
        func accertamento(_ a: String) throws -> Accertamento? { try registro.accertamento(a) }
        func libero(_ f: String) throws -> String { try registro.fonte(f).map { "libero della fonte \(eu($0.libero))" } ?? "" }
        switch e {
        case let .fonteRegistrata(codice, _, _, _, importo, _):
            return "fonte \(codice) di \(eu(importo.centesimi)): \(try libero(codice))"
        case let .fonteIntegrata(f, importo):
            return "integrazione di \(eu(importo.centesimi)) della fonte \(f): \(try libero(f))"
        case let .fonteRidotta(f, importo):
            return "riduzione di \(eu(importo.centesimi)) della fonte \(f): \(try libero(f))"
        case let .servizioRegistrato(codice, descrizione):
            return "servizio \(codice) (\(descrizione))"
        case let .programmazioneDisposta(k, importo):
            return "programmazione di \(eu(importo.centesimi)) su \(k): \(try disponibile(k)), \(try libero(k.fonte))"
        case let .programmazioneRidotta(k, importo):
            return "riduzione di programmazione di \(eu(importo.centesimi)) su \(k): \(try disponibile(k)), \(try libero(k.fonte))"
        case let .programmazioneSpostata(f, esercizio, da, a, importo):
            let origine = LineaChiave(fonte: f, servizio: da, esercizio: esercizio), destinazione = LineaChiave(fonte: f, servizio: a, esercizio: esercizio)
            return "spostamento di \(eu(importo.centesimi)) da \(origine) a \(destinazione): su \(da) \(try disponibile(origine))"
        case let .impegnoAssunto(numero, k, importo, _, _, _, _, prenotazione):
            if let prenotazione, let p = try registro.prenotazione(prenotazione) {
                return "impegno \(numero) di \(eu(importo.centesimi)) su \(k) dalla prenotazione \(prenotazione): da impegnare sulla prenotazione \(eu(p.daImpegnare))"
            }
            return "impegno \(numero) di \(eu(importo.centesimi)) su \(k): \(try disponibile(k))"
        case let .impegnoRidotto(n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) dell'impegno \(n): impegnato \(eu(i.impegnato)), \(try disponibile(i.linea))"
        case let .liquidazioneDisposta(numero, n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "liquidazione \(numero) di \(eu(importo.centesimi)) sull'impegno \(n): da liquidare \(eu(i.daLiquidare))"
        case let .liquidazioneAnnullata(l, importo, _):
            guard let q = try registro.liquidazione(l) else { return nil }
            return "annullamento di \(eu(importo.centesimi)) della liquidazione \(l): da pagare \(eu(q.daPagare))"
        case let .pagamentoEmesso(m, l, importo):
            guard let q = try registro.liquidazione(l) else { return nil }
            return "mandato \(m) di \(eu(importo.centesimi)) sulla liquidazione \(l): da pagare \(eu(q.daPagare))"
        case let .residuoEliminato(n, importo, _):
            guard let i = try registro.impegno(n) else { return nil }
            return "eliminazione di \(eu(importo.centesimi)) dal residuo \(n): da pagare \(eu(i.daPagare)), \(try libero(i.linea.fonte))"
        case let .prenotazioneAssunta(numero, k, importo, _):
            return "prenotazione \(numero) di \(eu(importo.centesimi)) su \(k): \(try disponibile(k))"
        case let .prenotazioneRidotta(numero, importo, _):
            guard let p = try registro.prenotazione(numero) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) della prenotazione \(numero): da impegnare \(eu(p.daImpegnare)), \(try disponibile(p.linea))"
        case let .impegnoReimputato(numero, importo, esercizio, nuovo):
            guard let i = try registro.impegno(numero) else { return nil }
            return "reimputazione di \(eu(importo.centesimi)) dall'impegno \(numero) all'esercizio \(esercizio) come impegno \(nuovo) (FPV): da liquidare sull'impegno \(numero) \(eu(i.daLiquidare)), \(try libero(i.linea.fonte))"
        case let .accertamentoRegistrato(numero, fonte, _, importo, debitore):
            guard let f = try registro.fonte(fonte) else { return nil }
            return "accertamento \(numero) di \(eu(importo.centesimi)) sulla fonte \(fonte) (debitore \(debitore)): accertato \(eu(f.accertato)) su \(eu(f.assegnato)) assegnati"
        case let .accertamentoRidotto(numero, importo, _):
            guard let a = try accertamento(numero) else { return nil }
            return "riduzione di \(eu(importo.centesimi)) dell'accertamento \(numero): da riscuotere \(eu(a.daRiscuotere))"
        case let .riscossioneRegistrata(reversale, numero, importo, _):
            guard let a = try accertamento(numero) else { return nil }
            return "reversale \(reversale) di \(eu(importo.centesimi)) sull'accertamento \(numero): da riscuotere \(eu(a.daRiscuotere))"
        default:
            return nil
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
