import ArgumentParser
import Fondi
import FondiStore

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ricostruisce le proiezioni dagli eventi (verificando la catena) dall'istantanea più vicina e le confronta con quelle registrate.")
    @Option(name: .customLong("fino-a"), parsing: .unconditional, help: "Ricostruisce lo stato dopo l'evento SEQ.") var finoA: String?
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let fino = try finoA.map { try Lettura.seq($0, campo: "fino-a") }
        let registro = try comuni.apri()
        let ultimo = try registro.numeroEventi()
        if let fino, fino > ultimo { throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(ultimo))") }
        let r = try Avanzamento.esegui(totale: fino ?? ultimo, formato: formato) { a in
            try registro.replay(fino: fino, avviso: Uscita.errore, ogniEvento: { _ in a.passo() })
        }
        let secondi = r.secondiRicostruzione
        let confronto = Int64(r.secondiConfronto * 1000)
        let digest = Registro.digest(r.stato)
        let (obiettivo, differenze) = (r.seq, r.differenze)
        let velocita = Int64(Double(r.eventi) / max(secondi, 1e-9))
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto([
                "seq": .intero(obiettivo), "eventi": .intero(r.eventi), "da_istantanea": r.daIstantanea.map(ValoreJSON.intero) ?? .nullo,
                "millisecondi": .intero(Int64(secondi * 1000)), "eventi_al_secondo": .intero(velocita), "digest": .stringa(digest),
                "millisecondi_confronto": .intero(confronto),
                "confrontato": .booleano(r.confrontato), "differenze": .lista(differenze.map(ValoreJSON.stringa)),
            ]).testoCanonico)
        case .csv:
            Uscita.stampa("seq,eventi,da_istantanea,millisecondi,eventi_al_secondo,digest\n\(obiettivo),\(r.eventi),\(r.daIstantanea.map(String.init) ?? ""),\(Int64(secondi * 1000)),\(velocita),\(digest)")
        case .tabella:
            let origine = r.daIstantanea.map { "dall'istantanea al seq \($0)" } ?? "dal primo evento"
            Uscita.stampa("""
                stato al seq \(obiettivo) ricostruito \(origine): \(r.eventi) eventi in \(Int64(secondi * 1000)) ms (\(velocita) eventi/s)
                digest dello stato: \(digest)
                \(r.confrontato ? (differenze.isEmpty ? "proiezioni registrate coerenti con la ricostruzione (confronto: \(confronto) ms)" : "") : "(stato passato: nessun confronto con le proiezioni correnti)")
                """)
        }
        if !differenze.isEmpty {
            throw VerificaFallita(messaggio: "proiezioni non coerenti con gli eventi:\n  " + differenze.joined(separator: "\n  "))
        }
    }
}

struct Snapshot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Istantanee dello stato: una cache, mai la verità (cancellarle non cambia alcuna risposta).",
        subcommands: [Crea.self, Elenca.self, Verifica.self])

    struct Crea: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Registra lo stato completo all'ultimo evento, con il suo digest.")
        @OptionGroup var comuni: OpzioniComuni

        mutating func run() throws {
            let formato = try comuni.formatoScelto()
            let registro = try comuni.apri()
            let info = try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
                try registro.creaIstantanea(avviso: Uscita.errore, ogniEvento: { _ in a.passo() })
            }
            switch formato {
            case .json:
                Uscita.stampa(ValoreJSON.oggetto(["seq": .intero(info.seq), "digest": .stringa(info.digest), "byte": .intero(info.byte),
                                                  "creata_il": .stringa(info.creataIl)]).testoCanonico)
            case .csv: Uscita.stampa("seq,digest,byte,creata_il\n\(info.seq),\(info.digest),\(info.byte),\(info.creataIl)")
            case .tabella: Uscita.stampa("istantanea creata al seq \(info.seq): \(info.byte) byte, digest \(info.digest)")
            }
        }
    }

    struct Elenca: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Elenca le istantanee, dalla più recente, segnalando quelle danneggiate.")
        @OptionGroup var comuni: OpzioniComuni

        mutating func run() throws {
            let formato = try comuni.formatoScelto()
            let elenco = try comuni.apri().istantanee()
            var t = Tabella(nome: "istantanee", colonne: ["seq", "creata_il", "digest", "byte", "integra"])
            for i in elenco { t.righe.append([.intero(i.seq), .testo(i.creataIl), .testo(i.digest), .intero(i.byte), .booleano(i.integra)]) }
            Uscita.stampa(Uscita.tabelle([t], formato: formato))
        }
    }

    struct Verifica: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prova che ogni istantanea è uguale a una ricostruzione completa fino al suo seq.")
        @OptionGroup var comuni: OpzioniComuni

        mutating func run() throws {
            let formato = try comuni.formatoScelto()
            let registro = try comuni.apri()
            let esiti = try Avanzamento.esegui(totale: try registro.numeroEventi(), formato: formato) { a in
                try registro.verificaIstantanee(ogniEvento: { _ in a.passo() })
            }
            var t = Tabella(nome: "istantanee", colonne: ["seq", "integra", "motivo"])
            for e in esiti { t.righe.append([.intero(e.seq), .booleano(e.integra), e.motivo.map(Cella.testo) ?? .nullo]) }
            Uscita.stampa(Uscita.tabelle([t], formato: formato))
            let guaste = esiti.filter { !$0.integra }
            if !guaste.isEmpty {
                throw VerificaFallita(messaggio: "istantanee non valide ai seq \(guaste.map { String($0.seq) }.joined(separator: ", ")): vengono ignorate; ricreale con 'fondi snapshot crea'")
            }
        }
    }
}
