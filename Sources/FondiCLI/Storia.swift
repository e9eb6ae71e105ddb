import ArgumentParser
import Fondi
import FondiStore

struct Storia: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "La storia di un impegno, di una fonte o di un servizio, evento per evento.")
    @Option var impegno: String?
    @Option var fonte: String?
    @Option var servizio: String?
    @OptionGroup var tempo: OpzioniTempo
    @OptionGroup var comuni: OpzioniComuni

    mutating func run() throws {
        let formato = try comuni.formatoScelto()
        let soggetti = [impegno.map(FiltroStoria.Soggetto.impegno), fonte.map(FiltroStoria.Soggetto.fonte), servizio.map(FiltroStoria.Soggetto.servizio)]
            .compactMap { $0 }
        guard soggetti.count <= 1 else { throw ErroreValore("indica al più uno tra --impegno, --fonte e --servizio") }
        var filtro = FiltroStoria(soggetti.first ?? .tutto)
        let al = try tempo.al.map { try Lettura.data($0, campo: "al") }
        let fino = try tempo.finoA.map { try Lettura.seq($0, campo: "fino-a") }
        let registro = try comuni.apri()
        if let fino, fino > (try registro.numeroEventi()) {
            throw ErroreValore("--fino-a \(fino) oltre l'ultimo evento registrato (seq \(try registro.numeroEventi()))")
        }
        var scelti: [EventoRegistrato] = []
        try registro.leggiEventi(fino: fino) { e in
            if let al, e.data > al { return }
            if filtro.accetta(e.evento) { scelti.append(e) }
        }
        switch formato {
        case .json:
            Uscita.stampa(ValoreJSON.oggetto(["eventi": .lista(scelti.map(\.oggettoEsportato))]).testoCanonico)
        case .csv, .tabella:
            var t = Tabella(nome: "eventi", colonne: ["seq", "data", "tipo", "atto", "importo", "descrizione"])
            for e in scelti {
                t.righe.append([.intero(e.seq), .testo(formato == .csv ? e.data.description : e.data.italiano), .testo(e.evento.tipo),
                                e.atto.map(Cella.testo) ?? .nullo, e.evento.importo.map(Cella.importo) ?? .nullo, .testo(e.evento.sintesi)])
            }
            Uscita.stampa(Uscita.tabelle([t], formato: formato))
        }
    }
}
