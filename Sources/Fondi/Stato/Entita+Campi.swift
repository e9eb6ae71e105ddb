// Each projected entity described once (see `EntitaDescritta`): fields in the order of the canonical encoding
// and of the table's columns, key first. Changing an order or a kind changes snapshots and the state digest:
// bump `Stato.versioneCodifica` and write a migration.

extension Fonte: EntitaDescritta {
    package static let tabella = TabellaStato.fonte
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Fonte>] = [
        .testo("codice", \.codice), .testo("tipo", \.tipo), .intero("annualita") { Int64($0.annualita) },
        .intero("vincolata") { $0.vincolata ? 1 : 0 }, .opzionale("descrizione", \.descrizione), .opzionale("atto", \.atto),
        .intero("assegnato_centesimi", variabile: true, \.assegnato), .intero("vincolato_centesimi", variabile: true, \.vincolato),
        .intero("accertato_centesimi", variabile: true, \.accertato), .intero("riscosso_centesimi", variabile: true, \.riscosso),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(codice: try l.testo(), tipo: try l.testo(), annualita: Int(try l.intero()), vincolata: try l.intero() == 1,
                  descrizione: try l.opzionale(), atto: try l.opzionale(), assegnato: try l.intero(), vincolato: try l.intero(),
                  accertato: try l.intero(), riscosso: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .fonte(codice) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Fonte) -> Void) { perOgni(stato.fonti, ordinato: ordinato, corpo) }
}

extension Servizio: EntitaDescritta {
    package static let tabella = TabellaStato.servizio
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Servizio>] = [.testo("codice", \.codice), .testo("descrizione", \.descrizione)]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(codice: try l.testo(), descrizione: try l.testo())
    }
    package var riferimento: RiferimentoEntita { .servizio(codice) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Servizio) -> Void) { perOgni(stato.servizi, ordinato: ordinato, corpo) }
}

extension Esercizio: EntitaDescritta {
    package static let tabella = TabellaStato.esercizio
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Esercizio>] = [
        .intero("anno") { Int64($0.anno) }, .dataOpzionale("chiuso_il", variabile: true, \.chiusoIl),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(anno: Int(try l.intero()), chiusoIl: try l.dataOpzionale())
    }
    package var riferimento: RiferimentoEntita { .esercizio(anno) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Esercizio) -> Void) { perOgni(stato.esercizi, ordinato: ordinato, corpo) }
}

extension Linea: EntitaDescritta {
    package static let tabella = TabellaStato.linea
    package static let campiChiave = 3
    package static let campi: [CampoEntita<Linea>] = [
        .testo("fonte", \.chiave.fonte), .testo("servizio", \.chiave.servizio), .intero("esercizio") { Int64($0.chiave.esercizio) },
        .intero("programmato_centesimi", variabile: true, \.programmato), .intero("impegnato_centesimi", variabile: true, \.impegnato),
        .intero("liquidato_centesimi", variabile: true, \.liquidato), .intero("pagato_centesimi", variabile: true, \.pagato),
        .intero("prenotato_centesimi", variabile: true, \.prenotazioni), .intero("fpv_entrata_centesimi", variabile: true, \.fpvEntrata),
        .intero("fpv_spesa_centesimi", variabile: true, \.fpvSpesa),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(chiave: LineaChiave(fonte: try l.testo(), servizio: try l.testo(), esercizio: Int(try l.intero())),
                  programmato: try l.intero(), impegnato: try l.intero(), liquidato: try l.intero(), pagato: try l.intero(),
                  prenotazioni: try l.intero(), fpvEntrata: try l.intero(), fpvSpesa: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .linea(chiave) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Linea) -> Void) { perOgni(stato.linee, ordinato: ordinato, corpo) }
}

extension Impegno: EntitaDescritta {
    package static let tabella = TabellaStato.impegno
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Impegno>] = [
        .testo("numero", \.numero), .testo("fonte", \.linea.fonte), .testo("servizio", \.linea.servizio),
        .intero("esercizio") { Int64($0.linea.esercizio) }, .data("data", \.data), .testo("creditore", \.creditore),
        .testo("oggetto", \.oggetto), .intero("assunto_centesimi", \.assunto), .intero("ridotto_centesimi", variabile: true, \.ridotto),
        .intero("eliminato_centesimi", variabile: true, \.eliminato), .intero("liquidato_centesimi", variabile: true, \.liquidato),
        .intero("pagato_centesimi", variabile: true, \.pagato), .intero("reimputato_centesimi", variabile: true, \.reimputato),
        .opzionale("prenotazione", \.prenotazione), .opzionale("origine", \.origine), .opzionale("cig", \.cig), .opzionale("cup", \.cup),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(numero: try l.testo(), linea: LineaChiave(fonte: try l.testo(), servizio: try l.testo(), esercizio: Int(try l.intero())),
                  data: try l.data(), creditore: try l.testo(), oggetto: try l.testo(), assunto: try l.intero(), ridotto: try l.intero(),
                  eliminato: try l.intero(), liquidato: try l.intero(), pagato: try l.intero(), reimputato: try l.intero(),
                  prenotazione: try l.opzionale(), origine: try l.opzionale(), cig: try l.opzionale(), cup: try l.opzionale())
    }
    package var riferimento: RiferimentoEntita { .impegno(numero) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Impegno) -> Void) { perOgni(stato.impegni, ordinato: ordinato, corpo) }
    package static func riserva(_ n: Int, in stato: inout Stato) { stato.impegni.reserveCapacity(n) }
}

extension Liquidazione: EntitaDescritta {
    package static let tabella = TabellaStato.liquidazione
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Liquidazione>] = [
        .testo("numero", \.numero), .testo("impegno", \.impegno), .data("data", \.data), .intero("importo_centesimi", \.importo),
        .intero("annullato_centesimi", variabile: true, \.annullato), .intero("pagato_centesimi", variabile: true, \.pagato),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(numero: try l.testo(), impegno: try l.testo(), data: try l.data(), importo: try l.intero(),
                  annullato: try l.intero(), pagato: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .liquidazione(numero) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Liquidazione) -> Void) { perOgni(stato.liquidazioni, ordinato: ordinato, corpo) }
    package static func riserva(_ n: Int, in stato: inout Stato) { stato.liquidazioni.reserveCapacity(n) }
}

extension Mandato: EntitaDescritta {
    package static let tabella = TabellaStato.mandato
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Mandato>] = [
        .testo("numero", \.numero), .testo("liquidazione", \.liquidazione), .data("data", \.data), .intero("importo_centesimi", \.importo),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(numero: try l.testo(), liquidazione: try l.testo(), data: try l.data(), importo: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .mandato(numero) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Mandato) -> Void) { perOgni(stato.mandati, ordinato: ordinato, corpo) }
    package static func riserva(_ n: Int, in stato: inout Stato) { stato.mandati.reserveCapacity(n) }
}

extension Eliminazione: EntitaDescritta {
    package static let tabella = TabellaStato.eliminazione
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Eliminazione>] = [
        .intero("seq", \.seq), .testo("impegno", \.impegno), .data("data", \.data), .intero("importo_centesimi", \.importo),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(seq: try l.intero(), impegno: try l.testo(), data: try l.data(), importo: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .eliminazione(impegno: impegno, seq: seq) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Eliminazione) -> Void) {
        perOgni(stato.eliminazioni, seq: \.seq, ordinato: ordinato, corpo)
    }
}

extension Prenotazione: EntitaDescritta {
    package static let tabella = TabellaStato.prenotazione
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Prenotazione>] = [
        .testo("numero", \.numero), .testo("fonte", \.linea.fonte), .testo("servizio", \.linea.servizio),
        .intero("esercizio") { Int64($0.linea.esercizio) }, .data("data", \.data), .testo("oggetto", \.oggetto),
        .intero("importo_centesimi", \.importo), .intero("ridotto_centesimi", variabile: true, \.ridotto),
        .intero("impegnato_centesimi", variabile: true, \.impegnato),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(numero: try l.testo(), linea: LineaChiave(fonte: try l.testo(), servizio: try l.testo(), esercizio: Int(try l.intero())),
                  data: try l.data(), oggetto: try l.testo(), importo: try l.intero(), ridotto: try l.intero(), impegnato: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .prenotazione(numero) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Prenotazione) -> Void) { perOgni(stato.prenotazioni, ordinato: ordinato, corpo) }
}

extension Accertamento: EntitaDescritta {
    package static let tabella = TabellaStato.accertamento
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Accertamento>] = [
        .testo("numero", \.numero), .testo("fonte", \.fonte), .intero("esercizio") { Int64($0.esercizio) }, .data("data", \.data),
        .testo("debitore", \.debitore), .intero("importo_centesimi", \.importo), .intero("ridotto_centesimi", variabile: true, \.ridotto),
        .intero("riscosso_centesimi", variabile: true, \.riscosso),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(numero: try l.testo(), fonte: try l.testo(), esercizio: Int(try l.intero()), data: try l.data(), debitore: try l.testo(),
                  importo: try l.intero(), ridotto: try l.intero(), riscosso: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .accertamento(numero) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Accertamento) -> Void) { perOgni(stato.accertamenti, ordinato: ordinato, corpo) }
}

extension Riscossione: EntitaDescritta {
    package static let tabella = TabellaStato.riscossione
    package static let campiChiave = 1
    package static let campi: [CampoEntita<Riscossione>] = [
        .testo("reversale", \.reversale), .testo("accertamento", \.accertamento), .data("data", \.data),
        .intero("importo_centesimi", \.importo),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(reversale: try l.testo(), accertamento: try l.testo(), data: try l.data(), importo: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .riscossione(reversale) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (Riscossione) -> Void) { perOgni(stato.riscossioni, ordinato: ordinato, corpo) }
}

extension RiduzioneAccertamento: EntitaDescritta {
    package static let tabella = TabellaStato.riduzioneAccertamento
    package static let campiChiave = 1
    package static let campi: [CampoEntita<RiduzioneAccertamento>] = [
        .intero("seq", \.seq), .testo("accertamento", \.accertamento), .data("data", \.data), .intero("importo_centesimi", \.importo),
    ]
    package init(leggendo l: inout some LettoreCampi) throws(CampoIllegibile) {
        self.init(seq: try l.intero(), accertamento: try l.testo(), data: try l.data(), importo: try l.intero())
    }
    package var riferimento: RiferimentoEntita { .riduzioneAccertamento(accertamento: accertamento, seq: seq) }
    package func inserisci(in stato: inout Stato) { stato.inserisci(self) }
    package static func perOgni(in stato: Stato, ordinato: Bool, _ corpo: (RiduzioneAccertamento) -> Void) {
        perOgni(stato.riduzioniAccertamento, seq: \.seq, ordinato: ordinato, corpo)
    }
}
