"""The organisation tree: sub-district 街道 → community 社区 → compound 小区 → grid 网格,
and building 楼栋 → unit 单元 / room 房号 where people live."""

from piccolo.columns import Float, ForeignKey, OnDelete, Serial, Varchar
from piccolo.columns.reference import LazyTableReference
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


class Building(Table):
    """楼栋 building inside a compound; its point places residents and volunteers who live there."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=50)
    compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict, index=True)
    lat = Float()
    lng = Float()


class Residence(Table):
    """Where a person lives below the compound: building, unit 单元 and room 房号 (picked from the
    tree, never typed as coordinates). One per person."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(
        references=LazyTableReference("Person", module_path="marketplace.accounts.tables"),
        on_delete=OnDelete.cascade,
        unique=True,
    )
    building = ForeignKey(references=Building, on_delete=OnDelete.restrict, index=True)
    unit = Varchar(length=20, default="")
    room = Varchar(length=20, default="")
