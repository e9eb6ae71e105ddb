import Fondi
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

    static func riepilogo(_ e: EventoRegistrato) -> ValoreJSON {
        .oggetto(["seq": .intero(e.seq), "tipo": .stringa(e.evento.tipo), "data": .stringa(e.data.description), "hash": .stringa(e.hash)])
    }

    /// The result of write commands: the events appended (or, for a repeated key, those appended the first time).
    static func esiti(_ esiti: [Esito], formato: Formato) -> String {
        let eventi = esiti.flatMap(\.eventi)
        let ripetuto = !esiti.isEmpty && esiti.allSatisfy(\.ripetuto)
        switch formato {
        case .json:
            return ValoreJSON.oggetto(["eventi": .lista(eventi.map(riepilogo)), "ripetuto": .booleano(ripetuto)]).testoCanonico
        case .csv:
            return "seq,tipo,data,hash\n" + eventi.map { "\($0.seq),\($0.evento.tipo),\($0.data),\($0.hash)" }.joined(separator: "\n")
        case .tabella:
            let prefisso = ripetuto ? "già registrato (chiave ripetuta, nulla è stato scritto): " : "registrato: "
            return eventi.map { "\(prefisso)seq \($0.seq) \($0.evento.tipo) del \($0.data.italiano) — hash \($0.hash)" }.joined(separator: "\n")
        }
    }

    /// The result of `chiudi`: residui riportati, economie, totals and the closing's chain hash.
    static func chiusura(_ esito: Esito, prova: Bool, formato: Formato) -> String {
        guard let ultimo = esito.eventi.last, case let .esercizioChiuso(esercizio, economie, residui, digest) = ultimo.evento else {
            return esiti([esito], formato: formato)
        }
        var tabResidui = Tabella(nome: "residui", colonne: ["impegno", "anno_provenienza", "importo"])
        var tabEconomie = Tabella(nome: "economie", colonne: ["fonte", "servizio", "esercizio", "importo"])
        for e in esito.eventi {
            switch e.evento {
            case let .residuoRiportato(impegno, anno, importo):
                tabResidui.righe.append([.testo(impegno), .intero(Int64(anno)), .importo(importo.centesimi)])
            case let .economiaRilevata(linea, importo):
                tabEconomie.righe.append([.testo(linea.fonte), .testo(linea.servizio), .intero(Int64(linea.esercizio)), .importo(importo.centesimi)])
            default: break
            }
        }
        switch formato {
        case .json:
            var o = ValoreJSON.oggetto([
                "esercizio": .intero(Int64(esercizio)), "prova": .booleano(prova), "ripetuto": .booleano(esito.ripetuto),
                "residui_passivi": .intero(residui), "economie": .intero(economie), "digest_proiezioni": .stringa(digest),
                "hash": .stringa(ultimo.hash), "seq": .intero(ultimo.seq), "eventi": .lista(esito.eventi.map(riepilogo)),
            ])
            if prova, case var .oggetto(c) = o { c["hash"] = .nullo; c["seq"] = .nullo; o = .oggetto(c) }
            return o.testoCanonico
        case .csv:
            return Rendering.csv([tabResidui, tabEconomie])
        case .tabella:
            var out = prova ? "PROVA di chiusura dell'esercizio \(esercizio): nulla è stato scritto.\n\n"
                : "Esercizio \(esercizio) chiuso il \(ultimo.data.italiano).\n\n"
            out += Rendering.tabella([tabResidui, tabEconomie], titoli: ["residui": "Residui passivi riportati", "economie": "Economie rilevate"])
            out += "\nTotale residui passivi: \(Importo.formatoItaliano(residui))\nTotale economie:        \(Importo.formatoItaliano(economie))\n"
            if !prova { out += "Hash di chiusura (da riportare nell'atto): \(ultimo.hash)\n" }
            return out
        }
    }

    static func tabelle(_ tabelle: [Tabella], formato: Formato, titoli: [String: String] = [:]) -> String {
        switch formato {
        case .json: Rendering.json(tabelle)
        case .csv: Rendering.csv(tabelle)
        case .tabella: Rendering.tabella(tabelle, titoli: titoli)
        }
    }
}
