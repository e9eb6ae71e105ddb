import Fondi

/// A command's working set: the entities it reads or changes, loaded by key from the projection tables,
/// so a command costs a handful of B-tree lookups however long the history is (ADR 0004).
struct Lavoro {
    unowned let registro: Registro
    var stato = Stato()
    // Keys already looked up (found or not), so each is read at most once per transaction.
    private var fonti: Set<String> = [], servizi: Set<String> = [], linee: Set<LineaChiave> = []
    private var impegni: Set<String> = [], liquidazioni: Set<String> = [], mandati: Set<String> = []
    private var prenotazioni: Set<String> = [], accertamenti: Set<String> = [], riscossioni: Set<String> = []
    private var chiusureCaricate: Set<Int> = []
    private var scadenzeCaricate: Set<String> = []
    /// The entities read from the projection tables: written back with UPDATE (exactly one row); every
    /// other changed entity was created by this transaction and is INSERTed, so SQLite refuses a duplicate.
    private(set) var esistenti: Set<RiferimentoEntita> = []

    init(registro: Registro) throws(ErroreArchivio) {
        self.registro = registro
        stato.tracciaModifiche = true
        for e in try registro.tuttiGliEsercizi() {
            stato.inserisci(e)
            esistenti.insert(.esercizio(e.anno))
        }
    }

    private var c: any Connessione { registro.connessione }

    mutating func carica(per comando: Comando, data: DataContabile) throws(ErroreArchivio) {
        switch comando {
        case let .fonteRegistra(codice, _, _, _, _, _), let .fonteIntegra(codice, _), let .fonteRiduci(codice, _):
            try fonte(codice.testo)
        case let .servizioRegistra(codice, _):
            try servizio(codice.testo)
        case let .programma(k, _), let .programmaRiduci(k, _):
            try fonte(k.fonte); try servizio(k.servizio); try linea(k)
        case let .programmaSposta(f, e, da, a, _):
            try fonte(f.testo); try servizio(da.testo); try servizio(a.testo)
            try linea(LineaChiave(fonte: f, servizio: da, esercizio: e)); try linea(LineaChiave(fonte: f, servizio: a, esercizio: e))
        case let .impegna(numero, k, _, _, _, _, _, p):
            try impegno(numero.testo); try fonte(k.fonte); try servizio(k.servizio); try linea(k)
            if let p { try prenotazione(p.testo) }
        case let .impegnoRiduci(n, _, _), let .residuoElimina(n, _, _):
            try impegno(n.testo)
        case let .liquida(numero, n, _, _):
            try liquidazione(numero.testo); try impegno(n.testo)
        case let .liquidazioneAnnulla(l, _, _):
            try liquidazione(l.testo)
        case let .paga(m, l, _):
            try mandato(m.testo); try liquidazione(l.testo)
        case let .chiudi(esercizio):
            try perChiusura(esercizio)
        case let .prenota(numero, k, _, _):
            try prenotazione(numero.testo); try fonte(k.fonte); try servizio(k.servizio); try linea(k)
        case let .prenotazioneRiduci(p, _, _):
            try prenotazione(p.testo)
        case let .impegnoReimputa(n, _, esercizio, nuovo):
            try impegno(n.testo); try impegno(nuovo.testo)
            if let origine = stato.impegni[n.testo] {
                try linea(LineaChiave(fonte: origine.linea.fonte, servizio: origine.linea.servizio, esercizio: esercizio))
            }
        case let .accerta(numero, f, _, _, _):
            try accertamento(numero.testo); try fonte(f.testo)
        case let .accertamentoRiduci(a, _, _):
            try accertamento(a.testo)
        case let .incassa(r, a, _, _):
            try riscossione(r.testo); try accertamento(a.testo)
        case let .scadenzaFissa(numero, f, _, _, _, _, _, _):
            try scadenza(numero.testo); try fonte(f.testo)
        case let .scadenzaProroga(numero, _, _), let .scadenzaRevoca(numero, _):
            try scadenza(numero.testo)
        case let .rendiconta(numero, destinatario, _, fonti, _):
            try rendicontazioni(di: destinatario.testo, numero: numero.testo)
            for f in fonti ?? [] { try fonte(f.testo) }
        }
        // Each command gets its own view or none: never the one an earlier command of the transaction read.
        if let giorno = comando.giornoDellaVista(data: data) { try prospetto(al: giorno) } else { stato.prospettoAl = nil }
    }

    /// Loads in a few queries the entities that a run of commands names by key (impegni, liquidazioni,
    /// mandati, prenotazioni, accertamenti, riscossioni), as `carica` would one at a time: on PostgreSQL each
    /// lookup is a round trip, so a bulk import reads ahead (`Registro.letturaAnticipata` commands) and asks
    /// once per table. A key looked up and not found is remembered too, exactly as `carica` does; an entity
    /// that a command of the run creates is then the working set's, as it is today.
    mutating func precarica(_ comandi: ArraySlice<Passo>) throws(ErroreArchivio) {
        var (imp, liq, man, pren, acc, ris, lin) = Self.chiavi(comandi)
        for m in try perChiavi(Mandato.self, man.filter { mandati.insert($0).inserted }) { registra(m) }
        try precaricaDaImpegni(liquidazioni: liq, impegni: imp, linee: lin)
        lin = []
        for p in try perChiavi(Prenotazione.self, pren.filter { prenotazioni.insert($0).inserted }) {
            registra(p)
            lin.append(p.linea)
        }
        for r in try perChiavi(Riscossione.self, ris.filter { riscossioni.insert($0).inserted }) { registra(r) }
        var fontiAccertamenti: [String] = []
        for a in try perChiavi(Accertamento.self, acc.filter { accertamenti.insert($0).inserted }) {
            registra(a)
            fontiAccertamenti.append(a.fonte)
        }
        try precaricaLinee(lin, fonti: fontiAccertamenti)
    }

    /// Liquidazioni, then the impegni they and the run name, then every linea named or reached, with their
    /// fonti and servizi: a query per table and per block of keys, not one per entity.
    mutating func precaricaDaImpegni(liquidazioni liq: [String], impegni: [String], linee lin: [LineaChiave]) throws(ErroreArchivio) {
        var imp = impegni, lin = lin
        for l in try perChiavi(Liquidazione.self, liq.filter { liquidazioni.insert($0).inserted }) {
            registra(l)
            imp.append(l.impegno)
        }
        for i in try perChiavi(Impegno.self, imp.filter { self.impegni.insert($0).inserted }) {
            registra(i)
            lin.append(i.linea)
        }
        try precaricaLinee(lin)
    }

    typealias ChiaviNominate = (impegni: [String], liquidazioni: [String], mandati: [String], prenotazioni: [String], accertamenti: [String],
                                riscossioni: [String], linee: [LineaChiave])

    /// The keys a run of commands names, per table.
    static func chiavi(_ comandi: ArraySlice<Passo>) -> ChiaviNominate {
        var imp: [String] = [], liq: [String] = [], man: [String] = [], pren: [String] = [], acc: [String] = [], ris: [String] = []
        var lin: [LineaChiave] = []
        for p in comandi {
            switch p.comando {
            case let .programma(k, _), let .programmaRiduci(k, _):
                lin.append(k)
            case let .impegna(numero, k, _, _, _, _, _, pr):
                imp.append(numero.testo)
                lin.append(k)
                if let pr { pren.append(pr.testo) }
            case let .impegnoRiduci(n, _, _), let .residuoElimina(n, _, _): imp.append(n.testo)
            case let .liquida(numero, n, _, _): liq.append(numero.testo); imp.append(n.testo)
            case let .liquidazioneAnnulla(l, _, _): liq.append(l.testo)
            case let .paga(m, l, _): man.append(m.testo); liq.append(l.testo)
            case let .prenota(numero, k, _, _): pren.append(numero.testo); lin.append(k)
            case let .prenotazioneRiduci(pr, _, _): pren.append(pr.testo)
            case let .impegnoReimputa(n, _, _, nuovo): imp.append(n.testo); imp.append(nuovo.testo)
            case let .accerta(numero, _, _, _, _): acc.append(numero.testo)
            case let .accertamentoRiduci(a, _, _): acc.append(a.testo)
            case let .incassa(r, a, _, _): ris.append(r.testo); acc.append(a.testo)
            case .fonteRegistra, .fonteIntegra, .fonteRiduci, .servizioRegistra, .programmaSposta, .chiudi, .scadenzaFissa, .scadenzaProroga,
                 .scadenzaRevoca, .rendiconta:
                break  // few per run: loaded one by one by `carica`
            }
        }
        return (imp, liq, man, pren, acc, ris, lin)
    }

    /// The linee a run names with their fonti and servizi (and `fonti`, named otherwise): one query by
    /// (fonte, servizio, esercizio) per 64 linee, one by code per 256 fonti or servizi.
    mutating func precaricaLinee(_ lin: [LineaChiave], fonti altreFonti: [String] = []) throws(ErroreArchivio) {
        let nuove = lin.filter { linee.insert($0).inserted }
        var inizio = 0
        while inizio < nuove.count {
            let parte = nuove[inizio..<min(inizio + 64, nuove.count)]
            let posti = parte.count <= 8 ? 8 : 64
            let chiavi = Array(parte) + Array(repeating: parte.first!, count: posti - parte.count)
            let coda = " WHERE (fonte, servizio, esercizio) IN (VALUES " + Array(repeating: "(?, ?, ?)", count: posti).joined(separator: ", ") + ")"
            for l in try righe(Linea.self, coda, chiavi.flatMap { [.testo($0.fonte), .testo($0.servizio), .intero(Int64($0.esercizio))] }) {
                registra(l)
            }
            inizio += parte.count
        }
        let codiciFonti = Set(lin.map(\.fonte) + altreFonti).sorted().filter { fonti.insert($0).inserted }
        for f in try perChiavi(Fonte.self, codiciFonti) { registra(f) }
        for sv in try perChiavi(Servizio.self, Set(lin.map(\.servizio)).sorted().filter { servizi.insert($0).inserted }) { registra(sv) }
    }

    /// The rows of `E` whose key (its one key field) is one of `chiavi`, a block of at most 256 keys per
    /// query, padded to 16, 64 or 256 placeholders so each table keeps three prepared statements.
    private func perChiavi<E: EntitaDescritta>(_: E.Type, _ chiavi: [String]) throws(ErroreArchivio) -> [E] {
        precondition(E.campiChiave == 1, "perChiavi legge per una sola colonna chiave")
        var out: [E] = []
        var inizio = 0
        while inizio < chiavi.count {
            let parte = chiavi[inizio..<min(inizio + 256, chiavi.count)]
            let posti = parte.count <= 16 ? 16 : parte.count <= 64 ? 64 : 256
            let valori = parte.map { ValoreSQL.testo($0) } + Array(repeating: .testo(parte.first!), count: posti - parte.count)
            let coda = " WHERE \(E.campi[0].nome) IN (" + Array(repeating: "?", count: posti).joined(separator: ", ") + ")"
            out += try righe(E.self, coda, valori)
            inizio += parte.count
        }
        return out
    }

    /// The rows of `E` selected by `coda` (a WHERE with placeholders) and its values.
    private func righe<E: EntitaDescritta>(_: E.Type, _ coda: String, _ valori: [ValoreSQL]) throws(ErroreArchivio) -> [E] {
        try c.istruzione(E.sql.selezione + coda).righe(valori, mappa: E.leggi)
    }

    /// The row of `E` with this key, put in the working set as read from the tables.
    private mutating func perChiave<E: EntitaDescritta>(_: E.Type, _ chiave: ValoreSQL...) throws(ErroreArchivio) -> E? {
        guard let e = try righe(E.self, E.sql.doveChiave, chiave).first else { return nil }
        registra(e)
        return e
    }

    /// Puts an entity read from the tables in the working set: written back with UPDATE.
    private mutating func registra<E: EntitaDescritta>(_ e: E) {
        e.inserisci(in: &stato)
        esistenti.insert(e.riferimento)
    }

    /// Loads a prenotazione with its linea and fonte.
    mutating func prenotazione(_ numero: String) throws(ErroreArchivio) {
        guard prenotazioni.insert(numero).inserted, let p = try perChiave(Prenotazione.self, .testo(numero)) else { return }
        try linea(p.linea)
        try fonte(p.linea.fonte)
    }

    /// Loads an accertamento with its fonte.
    mutating func accertamento(_ numero: String) throws(ErroreArchivio) {
        guard accertamenti.insert(numero).inserted, let a = try perChiave(Accertamento.self, .testo(numero)) else { return }
        try fonte(a.fonte)
    }

    mutating func riscossione(_ reversale: String) throws(ErroreArchivio) {
        guard riscossioni.insert(reversale).inserted else { return }
        _ = try perChiave(Riscossione.self, .testo(reversale))
    }

    mutating func fonte(_ codice: String) throws(ErroreArchivio) {
        guard fonti.insert(codice).inserted else { return }
        _ = try perChiave(Fonte.self, .testo(codice))
    }

    mutating func servizio(_ codice: String) throws(ErroreArchivio) {
        guard servizi.insert(codice).inserted else { return }
        _ = try perChiave(Servizio.self, .testo(codice))
    }

    mutating func linea(_ k: LineaChiave) throws(ErroreArchivio) {
        guard linee.insert(k).inserted else { return }
        _ = try perChiave(Linea.self, .testo(k.fonte), .testo(k.servizio), .intero(Int64(k.esercizio)))
    }

    /// Loads an impegno with its linea and fonte (its events change both).
    mutating func impegno(_ numero: String) throws(ErroreArchivio) {
        guard impegni.insert(numero).inserted, let i = try perChiave(Impegno.self, .testo(numero)) else { return }
        try linea(i.linea)
        try fonte(i.linea.fonte)
    }

    /// Loads a liquidazione with its impegno.
    mutating func liquidazione(_ numero: String) throws(ErroreArchivio) {
        guard liquidazioni.insert(numero).inserted, let l = try perChiave(Liquidazione.self, .testo(numero)) else { return }
        try impegno(l.impegno)
    }

    mutating func mandato(_ numero: String) throws(ErroreArchivio) {
        guard mandati.insert(numero).inserted else { return }
        _ = try perChiave(Mandato.self, .testo(numero))
    }

    mutating func scadenza(_ numero: String) throws(ErroreArchivio) {
        guard scadenzeCaricate.insert(numero).inserted else { return }
        _ = try perChiave(Scadenza.self, .testo(numero))
    }

    /// The rendicontazione `numero` (to refuse it twice) and every earlier one to `destinatario`: the growth
    /// rule compares with them (DOMAIN §10.2). Few per destinatario; read through its index.
    mutating func rendicontazioni(di destinatario: String, numero: String) throws(ErroreArchivio) {
        for r in try righe(Rendicontazione.self, " WHERE destinatario = ? OR numero = ?", [.testo(destinatario), .testo(numero)])
            where stato.rendicontazioni[r.numero] == nil {
            registra(r)
        }
    }

    /// The `fondi prospetto --al` rows of that day, from the date-filtered view (ADR 0016), as the store sees
    /// them inside this transaction: computed for each command that asks, since the commands before it in the
    /// same transaction may have changed them.
    mutating func prospetto(al giorno: DataContabile) throws(ErroreArchivio) {
        do {
            stato.prospettoAl = (giorno, try registro.ricostruisciAl(giorno).righeProspetto())
        } catch let e as ErroreArchivio {
            throw e
        } catch {
            throw ErroreArchivio(codice: 11, messaggio: "vista al \(giorno) non ricostruibile: \(error)", dettaglio: "vista")
        }
    }

    /// What a closing of N reads into the working set (see `Stato.pianoChiusura`): lines and prenotazioni of
    /// N; mandati dated after 31/12/N with their liquidazioni and impegni; accertamenti of esercizio ≤ N with
    /// the riscossioni and riduzioni dated after 31/12/N. The impegni still to pay are not loaded: the closing
    /// steps through them with `impegniDaPagare`.
    /// - Complexity: scans the mandato, riscossione and riduzione tables once: a closing is a yearly act.
    mutating func perChiusura(_ esercizio: Int) throws(ErroreArchivio) {
        guard chiusureCaricate.insert(esercizio).inserted else { return }
        let fine = ValoreSQL.testo(DataContabile.fineEsercizio(esercizio).description)
        let e = ValoreSQL.intero(Int64(esercizio))
        var lin: [LineaChiave] = []
        for l in try righe(Linea.self, " WHERE esercizio = ?", [e]) where linee.insert(l.chiave).inserted {
            registra(l)
            lin.append(l.chiave)
        }
        try precaricaLinee(lin)
        var liq: [String] = []
        for m in try righe(Mandato.self, " WHERE data > ?", [fine]) {
            if mandati.insert(m.numero).inserted { registra(m) }
            // Also for a mandato already looked up (a later command's read-ahead loads a mandato by number,
            // not its liquidazione): the closing needs every payment after 31/12/N with its impegno.
            liq.append(m.liquidazione)
        }
        try precaricaDaImpegni(liquidazioni: liq, impegni: [], linee: [])
        try perChiusuraEntrate(esercizio: e, fine: fine)
    }

    /// Hands to `ogni` every impegno of esercizio ≤ N with `da_pagare` > 0 in the tables that is not in the
    /// working set: the `impegniFuori` of `Stato.pianoChiusura`. One query through the partial index
    /// `impegno_da_pagare`, stepped row by row (on PostgreSQL a server-side cursor, a batch at a time), so
    /// the year is never held whole. An impegno this transaction changed is in the working set until it is
    /// written back to the tables, so the two never disagree: the working set's are the state's own, the
    /// others are current in the tables.
    func impegniDaPagare(esercizio: Int, _ ogni: (Impegno) -> Void) throws(ErroreArchivio) {
        let s = try c.istruzione(Impegno.sql.selezione + " WHERE esercizio <= ? AND da_pagare_centesimi > 0")
        s.reset()
        s.lega([.intero(Int64(esercizio))])
        defer { s.reset() }
        while try s.passo() {
            let i = try Impegno.leggi(s)
            if stato.impegni[i.numero] == nil { ogni(i) }
        }
    }

    /// The prenotazioni of N, the accertamenti up to N with their fonti, and the riscossioni and riduzioni
    /// dated after 31/12/N, for a closing.
    private mutating func perChiusuraEntrate(esercizio e: ValoreSQL, fine: ValoreSQL) throws(ErroreArchivio) {
        var lin: [LineaChiave] = [], fontiAccertamenti: [String] = []
        for p in try righe(Prenotazione.self, " WHERE esercizio = ?", [e]) where prenotazioni.insert(p.numero).inserted {
            registra(p)
            lin.append(p.linea)
        }
        for a in try righe(Accertamento.self, " WHERE esercizio <= ?", [e]) where accertamenti.insert(a.numero).inserted {
            registra(a)
            fontiAccertamenti.append(a.fonte)
        }
        try precaricaLinee(lin, fonti: fontiAccertamenti)
        for r in try righe(Riscossione.self, " WHERE data > ?", [fine]) where riscossioni.insert(r.reversale).inserted { registra(r) }
        for r in try righe(RiduzioneAccertamento.self, " WHERE data > ?", [fine])
            where !(stato.riduzioniAccertamento[r.accertamento]?.contains { $0.seq == r.seq } ?? false) {
            registra(r)
        }
    }
}
