"""Controlled-substance records of the stock: the perpetual inventory (a running balance per
controlled product or ingredient from every movement), counts compared with it, C-II
receiving against the order form (DEA Form 222 or CSOS), and losses, thefts and
destructions with what DEA Forms 106 and 41 ask for."""
