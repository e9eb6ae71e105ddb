/// `decidi` for accertamenti, their riduzioni and riscossioni (DOMAIN §9.3): each command's rules, in the words of its refusals.
extension Stato {
    func decidiAccerta(_ n: NumeroAccertamento, _ f: CodiceFonte, _ esercizio: Int, _ importo: Importo, _ debitore: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        guard accertamenti[numero] == nil else { throw Rifiuto(regola: "9.3", "accertamento \(numero) già esistente: il numero non può essere riusato") }
        let fonte = try self.fonte(f.testo)
        try esercizioProgrammabile(esercizio, data: data, cosa: "accertamento \(numero)")
        let accertabile = fonte.assegnato - fonte.accertato
        guard importo.centesimi <= accertabile else {
            throw Rifiuto(regola: "9.3", "accertamento \(numero): importo \(Rifiuto.eu(importo.centesimi)) supera l'assegnato non ancora accertato della fonte \(fonte.codice) (\(Rifiuto.eu(accertabile)))")
        }
        return [.accertamentoRegistrato(numero: numero, fonte: fonte.codice, esercizio: esercizio, importo: importo, debitore: debitore.testo)]
    }

    func decidiAccertamentoRiduci(_ n: NumeroAccertamento, _ importo: Importo, _ motivo: Testo, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let numero = n.testo
        let a = try accertamento(numero)
        try nonPrima(data, di: a.data, cosa: "l'accertamento \(numero)")
        guard importo.centesimi <= a.daRiscuotere else {
            throw Rifiuto(regola: "9.3", "accertamento \(numero): riduzione \(Rifiuto.eu(importo.centesimi)) supera il da riscuotere (\(Rifiuto.eu(a.daRiscuotere)))")
        }
        return [.accertamentoRidotto(accertamento: numero, importo: importo, motivo: motivo.testo)]
    }

    func decidiIncassa(_ r: NumeroReversale, _ n: NumeroAccertamento, _ importo: Importo, _ documento: Testo?, data: DataContabile) throws(Rifiuto) -> [Evento] {
        let (reversale, numero) = (r.testo, n.testo)
        guard riscossioni[reversale] == nil else { throw Rifiuto(regola: "9.3", "reversale \(reversale) già emessa: il numero non può essere riusato") }
        let a = try accertamento(numero)
        try nonPrima(data, di: a.data, cosa: "l'accertamento \(numero)")
        guard importo.centesimi <= a.daRiscuotere else {
            throw Rifiuto(regola: "9.3", "reversale \(reversale): importo \(Rifiuto.eu(importo.centesimi)) supera il da riscuotere dell'accertamento \(numero) (\(Rifiuto.eu(a.daRiscuotere)))")
        }
        return [.riscossioneRegistrata(reversale: reversale, accertamento: numero, importo: importo, documento: documento?.testo)]
    }
}
