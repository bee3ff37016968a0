"""The organisation tree: sub-district 街道 → community 社区 → compound 小区 → grid 网格."""

from piccolo.columns import Float, ForeignKey, OnDelete, Serial, Varchar
from piccolo.table import Table


class SubDistrict(Table):
    """街道 sub-district."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=100)
    lat = Float()
    lng = Float()


class Community(Table):
    """社区 community, run by its community party committee 社区党委."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=100)
    sub_district = ForeignKey(references=SubDistrict, on_delete=OnDelete.restrict, index=True)
    lat = Float()
    lng = Float()


class Compound(Table):
    """小区 residential compound; its point is the coarse location shown to the public."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=100)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, index=True)
    lat = Float()
    lng = Float()


class Grid(Table):
    """网格 grid inside a compound, looked after by a grid head 网格长."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=100)
    compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict, index=True)
    lat = Float()
    lng = Float()
